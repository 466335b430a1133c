import { LexicalCollaboration } from '@lexical/react/LexicalCollaborationContext'
import { CollaborationPlugin } from '@lexical/react/LexicalCollaborationPlugin'
import { LexicalComposer } from '@lexical/react/LexicalComposer'
import { ContentEditable } from '@lexical/react/LexicalContentEditable'
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary'
import { ListPlugin } from '@lexical/react/LexicalListPlugin'
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin'
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext'
import { ListItemNode, ListNode } from '@lexical/list'
import { HeadingNode, QuoteNode } from '@lexical/rich-text'
import type { Provider } from '@lexical/yjs'
import { useCallback, useEffect, useRef } from 'react'
import type { Doc } from 'yjs'
import { PROPOSAL_BODY_ROOT } from '../../../shared/src'
import type { DocSession } from '../collab/DocSession'
import { editorTheme } from './theme'
import { Toolbar } from './Toolbar'

interface Props {
  /** A fresh, not yet started body session (room `<boardId>.p.<proposalId>`); see useProposalBody. */
  readonly session: DocSession
  readonly userName: string
  readonly userColor: string
  readonly readOnly: boolean
}

/**
 * A proposal's rich-text body, co-edited live. Lexical's @lexical/yjs binding syncs the editor with
 * the body's Y.Doc; remote cursors and selections are drawn from the doc's awareness.
 */
export const ProposalEditor = ({ session, userName, userColor, readOnly }: Props) => {
  const cursorsRef = useRef<HTMLDivElement>(null)

  const providerFactory = useCallback(
    (id: string, docMap: Map<string, Doc>): Provider => {
      docMap.set(id, session.doc)
      // y-websocket's provider is what @lexical/yjs's Provider type describes, minus exact typings.
      return session.provider as unknown as Provider
    },
    [session],
  )

  return (
    <LexicalCollaboration>
      <LexicalComposer
        initialConfig={{
          namespace: 'peerboard-proposal',
          editorState: null,
          editable: !readOnly,
          theme: editorTheme,
          nodes: [HeadingNode, QuoteNode, ListNode, ListItemNode],
          onError: (error) => {
            console.error(error)
          },
        }}
      >
        <Toolbar disabled={readOnly} />
        <div className="editor-shell" ref={cursorsRef}>
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                className="editor-input"
                aria-label="Proposal text"
                data-testid="proposal-editor"
              />
            }
            placeholder={<div className="editor-placeholder">Write the proposal here…</div>}
            ErrorBoundary={LexicalErrorBoundary}
          />
        </div>
        <ListPlugin />
        <EditableSync editable={!readOnly} />
        <CollaborationPlugin
          id={session.room}
          rootName={PROPOSAL_BODY_ROOT}
          providerFactory={providerFactory}
          shouldBootstrap={false}
          username={userName}
          cursorColor={userColor}
          cursorsContainerRef={cursorsRef}
        />
      </LexicalComposer>
    </LexicalCollaboration>
  )
}

const EditableSync = ({ editable }: { editable: boolean }) => {
  const [editor] = useLexicalComposerContext()
  useEffect(() => {
    editor.setEditable(editable)
  }, [editor, editable])
  return null
}
