// The parts of CodeMirror 6 that gfmdreport serve's page uses, bundled into one file
// (gfmdreport/serve/static/vendor/codemirror/codemirror.js) defining the global
// GfmdCodeMirror. Markdown is the lezer GFM parser alone (no HTML, CSS or JavaScript
// inside notes: gfmdreport keeps HTML as text), with YAML front matter.
import {Language, LanguageSupport, defineLanguageFacet} from "@codemirror/language";
import {parser as markdownParser, GFM} from "@lezer/markdown";
import {yamlFrontmatter} from "@codemirror/lang-yaml";

export {EditorState, EditorSelection, StateField, StateEffect, RangeSet, RangeSetBuilder, Compartment} from "@codemirror/state";
export {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
        drawSelection, Decoration, gutter, GutterMarker, ViewPlugin, placeholder} from "@codemirror/view";
export {defaultKeymap, history, historyKeymap, undo, redo} from "@codemirror/commands";
export {syntaxHighlighting, HighlightStyle} from "@codemirror/language";
export {search, searchKeymap, highlightSelectionMatches, openSearchPanel} from "@codemirror/search";
export {yaml} from "@codemirror/lang-yaml";
export {json} from "@codemirror/lang-json";
export {tags} from "@lezer/highlight";

const notesData = defineLanguageFacet({commentTokens: {block: {open: "<!--", close: "-->"}}});
const notesLanguage = new Language(notesData, markdownParser.configure(GFM), [], "markdown");

/** Markdown notes (GitHub-flavoured) with their YAML front matter. */
export function markdownNotes() {
  return yamlFrontmatter({content: new LanguageSupport(notesLanguage)});
}
