import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext'
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin'
import { LexicalComposer } from '@lexical/react/LexicalComposer'
import { ContentEditable } from '@lexical/react/LexicalContentEditable'
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary'
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin'
import type { Provider } from '@lexical/yjs'
import { createRoot } from 'react-dom/client'
import { WebsocketProvider } from 'y-websocket'
import { Doc } from 'yjs'

/**
 * The W5 keystroke-to-paint page: one Lexical rich-text editor, plain (`?mode=plain`) or bound to a
 * Y.Doc through @lexical/yjs and a y-websocket provider (`?mode=collab&ws=…&room=…&token=…`).
 * For each keydown it records the time from the event to the first frame after the editor changed
 * the DOM (requestAnimationFrame, then a task: the frame has been produced). window.benchLatencies
 * holds the samples (ms); window.benchReady turns true once the editor is usable.
 */
declare global {
  interface Window {
    benchLatencies: number[]
    benchReady: boolean
  }
}

const params = new URLSearchParams(location.search)
const collab = params.get('mode') === 'collab'
window.benchLatencies = []
window.benchReady = !collab

let pendingKey: number | null = null
document.addEventListener('keydown', (event) => (pendingKey = event.timeStamp), { capture: true })
const afterPaint = (since: number): void => {
  requestAnimationFrame(() => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => window.benchLatencies.push(performance.now() - since)
    channel.port2.postMessage(null)
  })
}
new MutationObserver(() => {
  if (pendingKey === null) return
  const since = pendingKey
  pendingKey = null
  afterPaint(since)
}).observe(document.getElementById('root') as HTMLElement, { subtree: true, childList: true, characterData: true })

const providerFactory = (id: string, docMap: Map<string, Doc>): Provider => {
  const doc = new Doc()
  docMap.set(id, doc)
  const provider = new WebsocketProvider(params.get('ws') ?? '', params.get('room') ?? '', doc, {
    connect: false,
    disableBc: true,
    params: { token: params.get('token') ?? '' },
  })
  provider.on('sync', (synced: boolean) => {
    if (synced) window.benchReady = true
  })
  return provider as unknown as Provider
}

const Editor = () => (
  <LexicalComposer
    initialConfig={{
      namespace: 'bench',
      ...(collab ? { editorState: null } : {}),
      onError: (error) => console.error(error),
    }}
  >
    <RichTextPlugin
      contentEditable={<ContentEditable className="editor" aria-label="editor" />}
      placeholder={null}
      ErrorBoundary={LexicalErrorBoundary}
    />
    {collab ? <CollaborationPlugin id={params.get('room') ?? 'bench'} providerFactory={providerFactory} shouldBootstrap={true} /> : null}
  </LexicalComposer>
)

createRoot(document.getElementById('root') as HTMLElement).render(
  collab ? (
    <LexicalCollaboration>
      <Editor />
    </LexicalCollaboration>
  ) : (
    <Editor />
  ),
)
