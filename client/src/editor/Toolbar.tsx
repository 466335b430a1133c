import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext'
import { INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND } from '@lexical/list'
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text'
import { $setBlocksType } from '@lexical/selection'
import { $createParagraphNode, $getSelection, $isRangeSelection, FORMAT_TEXT_COMMAND, REDO_COMMAND, UNDO_COMMAND } from 'lexical'

/** Formatting buttons; every action is a Lexical command or one editor.update. */
export const Toolbar = ({ disabled }: { disabled: boolean }) => {
  const [editor] = useLexicalComposerContext()
  const setBlock = (make: () => ReturnType<typeof $createParagraphNode> | ReturnType<typeof $createHeadingNode>) =>
    editor.update(() => {
      const selection = $getSelection()
      if ($isRangeSelection(selection)) $setBlocksType(selection, make)
    })
  const buttons: readonly { label: string; title: string; run: () => void }[] = [
    { label: 'B', title: 'Bold', run: () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold') },
    { label: 'I', title: 'Italic', run: () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'italic') },
    { label: 'U', title: 'Underline', run: () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'underline') },
    { label: 'P', title: 'Paragraph', run: () => setBlock(() => $createParagraphNode()) },
    { label: 'H', title: 'Heading', run: () => setBlock(() => $createHeadingNode('h2')) },
    { label: '❝', title: 'Quote', run: () => setBlock(() => $createQuoteNode() as never) },
    { label: '•', title: 'Bulleted list', run: () => editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined) },
    { label: '1.', title: 'Numbered list', run: () => editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined) },
    { label: '↶', title: 'Undo your last change', run: () => editor.dispatchCommand(UNDO_COMMAND, undefined) },
    { label: '↷', title: 'Redo', run: () => editor.dispatchCommand(REDO_COMMAND, undefined) },
  ]
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {buttons.map((b) => (
        <button
          key={b.title}
          type="button"
          title={b.title}
          aria-label={b.title}
          disabled={disabled}
          onMouseDown={(e) => e.preventDefault()}
          onClick={b.run}
        >
          {b.label}
        </button>
      ))}
    </div>
  )
}
