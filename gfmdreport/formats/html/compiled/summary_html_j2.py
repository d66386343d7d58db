from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'summary.html.j2'

def root(context, missing=missing, environment=environment):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_lang = resolve('lang')
    l_0_summary = resolve('summary')
    l_0_date_text = resolve('date_text')
    l_0_times = resolve('times')
    l_0_date_iso = resolve('date_iso')
    l_0_people_groups = resolve('people_groups')
    l_0_parts = resolve('parts')
    l_0_item_list = missing
    try:
        t_1 = environment.filters['inline']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'inline' found.")
    try:
        t_2 = environment.filters['person']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'person' found.")
    try:
        t_3 = environment.filters['plain']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'plain' found.")
    pass
    def macro(l_1_items, l_1_tag, l_1_cls):
        t_4 = []
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        if l_1_tag is missing:
            l_1_tag = 'ul'
        if l_1_cls is missing:
            l_1_cls = ''
        pass
        t_4.extend((
            '<',
            escape(l_1_tag),
        ))
        if l_1_cls:
            pass
            t_4.extend((
                ' class="',
                escape(l_1_cls),
                '"',
            ))
        if (l_1_tag == 'ol'):
            pass
            t_4.append(
                ' type="a"',
            )
        t_4.append(
            '>\n',
        )
        for l_2_item in l_1_items:
            _loop_vars = {}
            pass
            t_4.extend((
                '<li>',
                escape(t_1(l_2_item)),
            ))
            if environment.getattr(l_2_item, 'items'):
                pass
                t_4.append(
                    escape(context.call((undefined(name='item_list') if l_0_item_list is missing else l_0_item_list), environment.getattr(l_2_item, 'items'), _loop_vars=_loop_vars)),
                )
            t_4.append(
                '</li>\n',
            )
        l_2_item = missing
        t_4.extend((
            '</',
            escape(l_1_tag),
            '>',
        ))
        return concat(t_4)
    context.exported_vars.add('item_list')
    context.vars['item_list'] = l_0_item_list = Macro(environment, macro, 'item_list', ('items', 'tag', 'cls'), False, False, False, context.eval_ctx.autoescape)
    yield '<article class="gfmd-summary" lang="'
    yield escape((undefined(name='lang') if l_0_lang is missing else l_0_lang))
    yield '">\n<header class="summary-header">\n'
    if (environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'title') and environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'session')):
        pass
        yield '<h1><span class="event">'
        yield escape(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'title'))
        yield '</span><span class="title-sep"> — </span><span class="session">'
        yield escape(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'session'))
        yield '</span></h1>\n'
    elif (environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'session') or environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'title')):
        pass
        yield '<h1>'
        yield escape((environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'session') or environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'title')))
        yield '</h1>\n'
    if (((undefined(name='date_text') if l_0_date_text is missing else l_0_date_text) or (undefined(name='times') if l_0_times is missing else l_0_times)) or environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'venue')):
        pass
        yield '<p class="when">'
        if (undefined(name='date_text') if l_0_date_text is missing else l_0_date_text):
            pass
            if (undefined(name='date_iso') if l_0_date_iso is missing else l_0_date_iso):
                pass
                yield '<time datetime="'
                yield escape((undefined(name='date_iso') if l_0_date_iso is missing else l_0_date_iso))
                yield '">'
                yield escape((undefined(name='date_text') if l_0_date_text is missing else l_0_date_text))
                yield '</time>'
            else:
                pass
                yield escape((undefined(name='date_text') if l_0_date_text is missing else l_0_date_text))
        if ((undefined(name='date_text') if l_0_date_text is missing else l_0_date_text) and (undefined(name='times') if l_0_times is missing else l_0_times)):
            pass
            yield ', '
        if (undefined(name='times') if l_0_times is missing else l_0_times):
            pass
            yield '<span class="time">'
            l_1_loop = missing
            for l_1_time, l_1_loop in LoopContext((undefined(name='times') if l_0_times is missing else l_0_times), undefined):
                l_1_time_separator = resolve('time_separator')
                _loop_vars = {}
                pass
                if (not environment.getattr(l_1_loop, 'first')):
                    pass
                    yield escape((undefined(name='time_separator') if l_1_time_separator is missing else l_1_time_separator))
                if environment.getattr(l_1_time, 'datetime'):
                    pass
                    yield '<time datetime="'
                    yield escape(environment.getattr(l_1_time, 'datetime'))
                    yield '">'
                    yield escape(environment.getattr(l_1_time, 'text'))
                    yield '</time>'
                else:
                    pass
                    yield escape(environment.getattr(l_1_time, 'text'))
            l_1_loop = l_1_time = l_1_time_separator = missing
            yield '</span>'
        if environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'venue'):
            pass
            if ((undefined(name='date_text') if l_0_date_text is missing else l_0_date_text) or (undefined(name='times') if l_0_times is missing else l_0_times)):
                pass
                yield '<span class="sep">, </span>'
            yield '<span class="venue">'
            yield escape(environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'venue'))
            yield '</span>'
        yield '</p>\n'
    if (environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'chairs') or environment.getattr((undefined(name='summary') if l_0_summary is missing else l_0_summary), 'rapporteurs')):
        pass
        yield '<dl class="people">\n'
        for (l_1_label, l_1_people) in (undefined(name='people_groups') if l_0_people_groups is missing else l_0_people_groups):
            _loop_vars = {}
            pass
            yield '<div>\n<dt>'
            yield escape(l_1_label)
            yield '</dt>\n'
            for l_2_person in l_1_people:
                _loop_vars = {}
                pass
                yield '<dd>'
                yield escape(t_2(l_2_person))
                yield '</dd>\n'
            l_2_person = missing
            yield '</div>\n'
        l_1_label = l_1_people = missing
        yield '</dl>\n'
    yield '</header>\n'
    for l_1_part in (undefined(name='parts') if l_0_parts is missing else l_0_parts):
        l_1_question_label = resolve('question_label')
        l_1_labels = resolve('labels')
        _loop_vars = {}
        pass
        if (environment.getattr(l_1_part, 'kind') == 'paragraphs'):
            pass
            yield '<ol class="paragraphs"'
            if (environment.getattr(l_1_part, 'start') != 1):
                pass
                yield ' start="'
                yield escape(environment.getattr(l_1_part, 'start'))
                yield '"'
            yield '>\n'
            for (l_2_number, l_2_paragraph) in environment.getattr(l_1_part, 'paragraphs'):
                _loop_vars = {}
                pass
                yield '<li id="'
                yield escape(environment.getattr(l_1_part, 'id'))
                yield '-'
                yield escape(l_2_number)
                yield '">'
                yield escape(t_1(l_2_paragraph))
                if environment.getattr(l_2_paragraph, 'items'):
                    pass
                    yield escape(context.call((undefined(name='item_list') if l_0_item_list is missing else l_0_item_list), environment.getattr(l_2_paragraph, 'items'), 'ol', 'letters', _loop_vars=_loop_vars))
                yield '</li>\n'
            l_2_number = l_2_paragraph = missing
            yield '</ol>\n'
        elif (environment.getattr(l_1_part, 'kind') == 'heading'):
            pass
            yield '<h2 id="'
            yield escape(environment.getattr(l_1_part, 'id'))
            yield '">'
            yield escape(t_1(environment.getattr(l_1_part, 'block')))
            yield '</h2>\n'
        elif (environment.getattr(l_1_part, 'kind') == 'question'):
            pass
            yield '<section class="question" aria-labelledby="'
            yield escape(environment.getattr(l_1_part, 'id'))
            yield '-label">\n<h2 id="'
            yield escape(environment.getattr(l_1_part, 'id'))
            yield '"><span class="question-label" id="'
            yield escape(environment.getattr(l_1_part, 'id'))
            yield '-label">'
            yield escape(context.call((undefined(name='question_label') if l_1_question_label is missing else l_1_question_label), environment.getattr(environment.getattr(l_1_part, 'block'), 'number'), _loop_vars=_loop_vars))
            yield '</span> '
            yield escape(t_1(environment.getattr(l_1_part, 'block')))
            yield '</h2>\n'
            if environment.getattr(environment.getattr(l_1_part, 'block'), 'takeaways'):
                pass
                yield escape(context.call((undefined(name='item_list') if l_0_item_list is missing else l_0_item_list), environment.getattr(environment.getattr(l_1_part, 'block'), 'takeaways'), 'ul', 'takeaways', _loop_vars=_loop_vars))
                yield '\n'
            yield '</section>\n'
        elif (environment.getattr(l_1_part, 'kind') == 'table'):
            pass
            yield '<div class="table-wrap">\n<table class="summary-table'
            if environment.getattr(l_1_part, 'keep_together'):
                pass
                yield ' keep-together'
            yield '" role="table">\n<caption>'
            yield escape(environment.getattr((undefined(name='labels') if l_1_labels is missing else l_1_labels), 'summary_table'))
            yield '</caption>\n<thead role="rowgroup">\n<tr role="row">\n'
            for l_2_column in environment.getattr(environment.getattr(l_1_part, 'block'), 'columns'):
                _loop_vars = {}
                pass
                yield '<th scope="col" role="columnheader">'
                yield escape(t_1(environment.getattr(l_2_column, 'heading')))
                yield '</th>\n'
            l_2_column = missing
            yield '</tr>\n</thead>\n<tbody role="rowgroup">\n<tr role="row">\n'
            for l_2_column in environment.getattr(environment.getattr(l_1_part, 'block'), 'columns'):
                _loop_vars = {}
                pass
                yield '<td role="cell" data-label="'
                yield escape(t_3(environment.getattr(l_2_column, 'heading')))
                yield '">'
                if environment.getattr(l_2_column, 'items'):
                    pass
                    yield escape(context.call((undefined(name='item_list') if l_0_item_list is missing else l_0_item_list), environment.getattr(l_2_column, 'items'), _loop_vars=_loop_vars))
                    yield '\n'
                yield '</td>\n'
            l_2_column = missing
            yield '</tr>\n</tbody>\n</table>\n</div>\n'
    l_1_part = l_1_question_label = l_1_labels = missing
    yield '</article>\n'

blocks = {}
debug_info = '2=37&3=48&4=65&5=70&6=72&7=75&11=83&13=90&15=92&16=95&17=99&18=102&20=104&22=107&23=119&24=122&25=126&27=145&30=154&32=157&34=161&35=163&36=167&43=174&44=179&45=182&46=188&47=192&48=197&49=199&54=203&55=206&56=210&57=213&58=215&59=223&60=225&63=228&65=231&66=235&69=237&70=241&76=245&77=249&78=251&79=253'


# summary.html.j2 compiled by Jinja2: written by gfmdreport.formats.html.precompiled,
# do not edit (python tools/precompile_html.py writes it again).
# ruff: noqa
KEY = 'a6fd86c8ff8a821c562a64473719878b63e90b352299d3367eb08090306abeed'
