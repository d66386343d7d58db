/* gfmdreport serve: the notes editor, CodeMirror 6 (vendor/codemirror/, MIT) set up for
   notes: line numbers, soft-wrapped lines, Markdown with its YAML front matter, YAML or
   JSON, undo history, search, and the lines with problems marked (a coloured line and a
   marker in the gutter). Tab is left to the browser, so that the keyboard moves on to the
   next control; the page's own keys (Ctrl+S, F8) are passed to it.

   window.GfmdEditor.create(parent, options) gives the small interface app.js uses. */
(function () {
  'use strict';
  const CM = window.GfmdCodeMirror;
  const {
    EditorState, EditorView, StateField, StateEffect, RangeSet, RangeSetBuilder, Compartment,
    Decoration, GutterMarker, gutter, keymap, lineNumbers, highlightActiveLine,
    highlightActiveLineGutter, drawSelection, history, defaultKeymap, historyKeymap, search,
    searchKeymap, highlightSelectionMatches, syntaxHighlighting, HighlightStyle, tags,
    markdownNotes, yaml, json,
  } = CM;

  const NONCE = document.querySelector('meta[name="csp-nonce"]').content;
  const RANK = {error: 3, warning: 2, info: 1};
  const setProblems = StateEffect.define();
  const flashLine = StateEffect.define();

  class Marker extends GutterMarker {
    constructor(severity) { super(); this.severity = severity; }
    eq(other) { return other.severity === this.severity; }
    toDOM() {
      const span = document.createElement('span');
      span.className = 'cm-problem-marker ' + this.severity;
      span.setAttribute('aria-hidden', 'true');
      return span;
    }
  }
  const MARKERS = {error: new Marker('error'), warning: new Marker('warning'),
                   info: new Marker('info')};
  const LINES = {
    error: Decoration.line({class: 'cm-problem-error'}),
    warning: Decoration.line({class: 'cm-problem-warning'}),
    info: Decoration.line({class: 'cm-problem-info'}),
  };
  const FLASH = Decoration.line({class: 'cm-line-flash'});

  /* The lines with problems: the worst severity of each line, mapped through edits until
     the next check replaces them. */
  const problemField = StateField.define({
    create() { return {lines: Decoration.none, markers: RangeSet.empty, flash: Decoration.none}; },
    update(value, tr) {
      let {lines, markers, flash} = value;
      if (tr.docChanged) {
        lines = lines.map(tr.changes);
        markers = markers.map(tr.changes);
        flash = flash.map(tr.changes);
      }
      for (const effect of tr.effects) {
        if (effect.is(setProblems)) {
          const worst = new Map();
          for (const p of effect.value) {
            if (!p.line || p.line > tr.state.doc.lines || !(p.severity in RANK)) continue;
            const now = worst.get(p.line);
            if (!now || RANK[p.severity] > RANK[now]) worst.set(p.line, p.severity);
          }
          const lineSet = new RangeSetBuilder();
          const markerSet = new RangeSetBuilder();
          for (const n of [...worst.keys()].sort((a, b) => a - b)) {
            const from = tr.state.doc.line(n).from;
            lineSet.add(from, from, LINES[worst.get(n)]);
            markerSet.add(from, from, MARKERS[worst.get(n)]);
          }
          lines = lineSet.finish();
          markers = markerSet.finish();
        } else if (effect.is(flashLine)) {
          flash = effect.value === null ? Decoration.none
            : Decoration.set([FLASH.range(effect.value)]);
        }
      }
      return {lines, markers, flash};
    },
    provide: (field) => [
      EditorView.decorations.from(field, (v) => v.lines),
      EditorView.decorations.from(field, (v) => v.flash),
      gutter({class: 'cm-problem-gutter', markers: (view) => view.state.field(field).markers,
              initialSpacer: () => MARKERS.error}),
    ],
  });

  const theme = EditorView.theme({
    '&': {height: '100%', color: 'var(--text)', backgroundColor: 'var(--bg)'},
    '&.cm-focused': {outline: '2px solid var(--focus)', outlineOffset: '-2px'},
    '.cm-scroller': {fontFamily: 'var(--mono)', fontSize: '0.875rem', lineHeight: '1.6'},
    '.cm-content': {caretColor: 'var(--text)', padding: '0.5rem 0'},
    '.cm-line': {padding: '0 1rem 0 0.5rem'},
    '.cm-cursor, .cm-dropCursor': {borderLeftColor: 'var(--text)', borderLeftWidth: '2px'},
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection':
      {backgroundColor: 'color-mix(in srgb, var(--link) 28%, transparent)'},
    '.cm-gutters': {backgroundColor: 'var(--surface)', color: 'var(--muted)',
                    borderRight: '1px solid var(--hairline)'},
    '.cm-activeLine': {backgroundColor: 'color-mix(in srgb, var(--surface-2) 55%, transparent)'},
    '.cm-activeLineGutter': {backgroundColor: 'var(--surface-2)', color: 'var(--text)'},
    '.cm-problem-error': {backgroundColor: 'var(--error-bg)'},
    '.cm-problem-warning': {backgroundColor: 'var(--warning-bg)'},
    '.cm-problem-info': {backgroundColor: 'var(--info-bg)'},
    '.cm-problem-gutter .cm-gutterElement': {width: '1.1rem', display: 'flex',
                                             justifyContent: 'center'},
    '.cm-panels': {backgroundColor: 'var(--surface)', color: 'var(--text)'},
    '.cm-panels input, .cm-panels button': {font: 'inherit', color: 'var(--text)'},
    '.cm-searchMatch': {backgroundColor: 'color-mix(in srgb, var(--warning) 30%, transparent)'},
  });

  const highlight = HighlightStyle.define([
    {tag: tags.heading, fontWeight: '700', color: 'var(--accent)'},
    {tag: tags.strong, fontWeight: '700'},
    {tag: tags.emphasis, fontStyle: 'italic'},
    {tag: [tags.link, tags.url], color: 'var(--link)'},
    {tag: [tags.comment, tags.meta, tags.processingInstruction], color: 'var(--muted)'},
    {tag: [tags.propertyName, tags.definition(tags.propertyName)], color: 'var(--accent)',
     fontWeight: '600'},
    {tag: [tags.string, tags.monospace], color: 'var(--ok)'},
    {tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--warning)'},
  ]);

  const LANGUAGES = {md: markdownNotes, yaml: yaml, json: json};
  const NAMES = {md: 'Markdown notes', yaml: 'YAML notes', json: 'JSON notes'};

  function create(parent, options) {
    const language = new Compartment();
    const label = new Compartment();
    const pageKeys = keymap.of([
      {key: 'Mod-s', preventDefault: true, run: () => { options.onSave(); return true; }},
      {key: 'F8', preventDefault: true, run: () => { options.onNextProblem(1); return true; }},
      {key: 'Shift-F8', preventDefault: true,
       run: () => { options.onNextProblem(-1); return true; }},
    ]);
    const extensions = (format) => [
      lineNumbers(),
      problemField,
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({top: true}),
      EditorView.lineWrapping,
      language.of(LANGUAGES[format]()),
      syntaxHighlighting(highlight),
      theme,
      EditorView.cspNonce.of(NONCE),
      pageKeys,
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
      label.of(EditorView.contentAttributes.of(attributes(format))),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange();
        if (update.selectionSet || update.docChanged) {
          options.onCursor(update.state.doc.lineAt(update.state.selection.main.head).number);
        }
      }),
    ];
    function attributes(format) {
      return {'aria-label': 'Notes (' + NAMES[format] + ')', 'aria-describedby': 'cursor-problem',
              spellcheck: 'true', autocorrect: 'off', autocapitalize: 'sentences',
              tabindex: '0'};
    }
    let format = 'md';
    const view = new EditorView({
      parent,
      state: EditorState.create({doc: '', extensions: extensions(format)}),
    });
    view.scrollDOM.addEventListener('scroll', () => options.onScroll(), {passive: true});

    const editor = {
      view,
      get format() { return format; },
      text() { return view.state.doc.toString(); },
      /* A new document: the history starts again. */
      load(text, newFormat) {
        format = LANGUAGES[newFormat] ? newFormat : 'md';
        view.setState(EditorState.create({doc: text, extensions: extensions(format)}));
      },
      /* The same document changed to ``text`` in one undoable step, touching only what
         differs (the cursor stays where it is when it is outside the change). */
      replace(text) {
        const old = view.state.doc.toString();
        if (old === text) return;
        let start = 0;
        const short = Math.min(old.length, text.length);
        while (start < short && old.charCodeAt(start) === text.charCodeAt(start)) start++;
        let end = 0;
        while (end < short - start &&
               old.charCodeAt(old.length - 1 - end) === text.charCodeAt(text.length - 1 - end)) end++;
        view.dispatch({changes: {from: start, to: old.length - end,
                                 insert: text.slice(start, text.length - end)},
                       userEvent: 'input.replace'});
      },
      setProblems(list) { view.dispatch({effects: setProblems.of(list)}); },
      /* The cursor on ``line`` (and ``column``), the line in the middle of the editor,
         briefly highlighted, and the keyboard in the editor. */
      goTo(line, column) {
        const doc = view.state.doc;
        const target = doc.line(Math.max(1, Math.min(line, doc.lines)));
        const pos = Math.min(target.from + Math.max(0, (column || 1) - 1), target.to);
        view.dispatch({
          selection: {anchor: pos},
          effects: [EditorView.scrollIntoView(pos, {y: 'center'}), flashLine.of(target.from)],
          userEvent: 'select',
        });
        view.focus();
        window.setTimeout(() => view.dispatch({effects: flashLine.of(null)}), 1300);
      },
      cursorLine() { return view.state.doc.lineAt(view.state.selection.main.head).number; },
      lineCount() { return view.state.doc.lines; },
      /* The line at the top of the editor, with the fraction of it scrolled past. */
      topLine() {
        const top = view.scrollDOM.scrollTop;
        const block = view.lineBlockAtHeight(top);
        const number = view.state.doc.lineAt(block.from).number;
        return number + Math.max(0, Math.min(1, (top - block.top) / (block.height || 1)));
      },
      scrollToLine(line) {
        const doc = view.state.doc;
        const n = Math.max(1, Math.min(Math.floor(line), doc.lines));
        const block = view.lineBlockAt(doc.line(n).from);
        view.scrollDOM.scrollTop = block.top + (line - Math.floor(line)) * block.height;
      },
      focus() { view.focus(); },
    };
    return editor;
  }

  window.GfmdEditor = {create, NAMES};
}());
