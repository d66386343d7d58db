from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'page.html.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_lang = resolve('lang')
    l_0_csp = resolve('csp')
    l_0_page_title = resolve('page_title')
    l_0_meta = resolve('meta')
    l_0_version = resolve('version')
    pass
    yield '<!DOCTYPE html>\n<html lang="'
    yield escape((undefined(name='lang') if l_0_lang is missing else l_0_lang))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="'
    yield escape((undefined(name='csp') if l_0_csp is missing else l_0_csp))
    yield '">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</title>\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description'):
        pass
        yield '<meta name="description" content="'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'description'))
        yield '">\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'author'):
        pass
        yield '<meta name="author" content="'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'author'))
        yield '">\n'
    if environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date'):
        pass
        yield '<meta name="date" content="'
        yield escape(environment.getattr((undefined(name='meta') if l_0_meta is missing else l_0_meta), 'date'))
        yield '">\n'
    yield '<meta name="generator" content="gfmdreport '
    yield escape((undefined(name='version') if l_0_version is missing else l_0_version))
    yield '">\n'
    yield from context.blocks['style'][0](context)
    yield '</head>\n<body>\n<main>\n'
    yield from context.blocks['summary'][0](context)
    yield '</main>\n</body>\n</html>\n'

def block_style(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_css = resolve('css')
    pass
    yield '<style>'
    yield escape((undefined(name='css') if l_0_css is missing else l_0_css))
    yield '</style>\n'

def block_summary(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    template = environment.get_template('gfmdreport/summary.html.j2', 'page.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()

blocks = {'style': block_style, 'summary': block_summary}
debug_info = '4=17&7=19&9=21&10=23&11=26&13=28&14=31&16=33&17=36&19=39&20=41&26=43&20=46&21=56&26=59&27=67'


# page.html.j2 compiled by Jinja2: written by gfmdreport.formats.html.precompiled,
# do not edit (python tools/precompile_html.py writes it again).
# ruff: noqa
KEY = 'ef83d99051dd2cf8a20e3d2d4f7650c74d7412161dc1f0427a24564cd3956854'
