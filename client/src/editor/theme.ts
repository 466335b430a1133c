import type { EditorThemeClasses } from 'lexical'

/** CSS class names Lexical puts on what it renders (styled in app/styles.css). */
export const editorTheme: EditorThemeClasses = {
  paragraph: 'ed-p',
  heading: { h2: 'ed-h2', h3: 'ed-h3' },
  quote: 'ed-quote',
  list: { ul: 'ed-ul', ol: 'ed-ol', listitem: 'ed-li' },
  text: { bold: 'ed-bold', italic: 'ed-italic', underline: 'ed-underline' },
}
