"""The Office Open XML of Word documents, for the DOCX reader and writer alike.

One module per concern:

- :mod:`.ns` — namespaces, content types, relationship types, ``qn``;
- :mod:`.package` — the OPC package: ZIP members read safely and written
  deterministically, content types, relationships, part names, size limits;
- :mod:`.schema` — the order of children of the elements edited in place, declared
  once per element, and the helpers that insert a child there;
- :mod:`.styles`, :mod:`.numbering` — style and list definitions;
- :mod:`.body` — paragraphs, runs, hyperlinks, tables, the section's text area;
- :mod:`.fields` — page-number fields and the table of contents;
- :mod:`.customxml` — the part that carries the model, and the body's digest;
- :mod:`.prepared` — a template package prepared once and assembled per document;
- :mod:`.skeleton` — the parts of an empty package, from which the default template is
  built.

Everything is built with lxml's element API on plain lxml elements (python-docx's
elements are lxml elements too, so the writer applies these helpers to the parts
python-docx opened). The names below are the layer's interface, importable from here.
"""

from gfmdreport.formats.docx.ooxml.body import add_hyperlink
from gfmdreport.formats.docx.ooxml.body import add_paragraph
from gfmdreport.formats.docx.ooxml.body import add_run
from gfmdreport.formats.docx.ooxml.body import append_block
from gfmdreport.formats.docx.ooxml.body import body_of
from gfmdreport.formats.docx.ooxml.body import clear_body
from gfmdreport.formats.docx.ooxml.body import new_table
from gfmdreport.formats.docx.ooxml.body import set_paragraph_style
from gfmdreport.formats.docx.ooxml.body import table_cells
from gfmdreport.formats.docx.ooxml.body import text_area
from gfmdreport.formats.docx.ooxml.customxml import body_digest
from gfmdreport.formats.docx.ooxml.customxml import is_model_part
from gfmdreport.formats.docx.ooxml.customxml import model_part_xml
from gfmdreport.formats.docx.ooxml.customxml import model_props_xml
from gfmdreport.formats.docx.ooxml.customxml import read_model_part
from gfmdreport.formats.docx.ooxml.fields import add_field
from gfmdreport.formats.docx.ooxml.fields import set_update_fields
from gfmdreport.formats.docx.ooxml.fields import table_of_contents
from gfmdreport.formats.docx.ooxml.ns import CT_CUSTOM_XML_PROPS
from gfmdreport.formats.docx.ooxml.ns import CT_DOCUMENT
from gfmdreport.formats.docx.ooxml.ns import CT_MACRO
from gfmdreport.formats.docx.ooxml.ns import CT_TEMPLATE
from gfmdreport.formats.docx.ooxml.ns import MODEL_NS
from gfmdreport.formats.docx.ooxml.ns import NS
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML
from gfmdreport.formats.docx.ooxml.ns import RT_CUSTOM_XML_PROPS
from gfmdreport.formats.docx.ooxml.ns import RT_HYPERLINK
from gfmdreport.formats.docx.ooxml.ns import W_NS
from gfmdreport.formats.docx.ooxml.ns import qn
from gfmdreport.formats.docx.ooxml.numbering import Level
from gfmdreport.formats.docx.ooxml.numbering import add_list
from gfmdreport.formats.docx.ooxml.numbering import copy_list
from gfmdreport.formats.docx.ooxml.numbering import link_list_level
from gfmdreport.formats.docx.ooxml.numbering import list_definition
from gfmdreport.formats.docx.ooxml.numbering import list_levels
from gfmdreport.formats.docx.ooxml.package import Package
from gfmdreport.formats.docx.ooxml.package import PackageProblem
from gfmdreport.formats.docx.ooxml.package import Relationships
from gfmdreport.formats.docx.ooxml.package import open_package
from gfmdreport.formats.docx.ooxml.package import relationships_xml
from gfmdreport.formats.docx.ooxml.package import usable_package
from gfmdreport.formats.docx.ooxml.package import write_zip
from gfmdreport.formats.docx.ooxml.package import zip_parts
from gfmdreport.formats.docx.ooxml.prepared import PreparedPackage
from gfmdreport.formats.docx.ooxml.prepared import assemble
from gfmdreport.formats.docx.ooxml.prepared import free_name
from gfmdreport.formats.docx.ooxml.prepared import prepare_package
from gfmdreport.formats.docx.ooxml.prepared import reset_core_properties
from gfmdreport.formats.docx.ooxml.skeleton import PageSetup
from gfmdreport.formats.docx.ooxml.skeleton import TextDefaults
from gfmdreport.formats.docx.ooxml.skeleton import skeleton_parts
from gfmdreport.formats.docx.ooxml.styles import copy_missing_styles
from gfmdreport.formats.docx.ooxml.styles import set_doc_language
from gfmdreport.formats.docx.ooxml.styles import set_outline_level
from gfmdreport.formats.docx.ooxml.styles import set_run_font
from gfmdreport.formats.docx.ooxml.styles import set_style_numbering
from gfmdreport.formats.docx.ooxml.styles import set_table_style_properties
from gfmdreport.formats.docx.ooxml.styles import style_id
from gfmdreport.formats.docx.ooxml.styles import style_num_id
from gfmdreport.formats.docx.ooxml.styles import style_type
from gfmdreport.formats.docx.ooxml.styles import styles_by_name

__all__ = [
    "CT_CUSTOM_XML_PROPS", "CT_DOCUMENT", "CT_MACRO", "CT_TEMPLATE", "MODEL_NS", "NS",
    "RT_CUSTOM_XML", "RT_CUSTOM_XML_PROPS", "RT_HYPERLINK", "W_NS", "Level", "Package",
    "PackageProblem", "PageSetup", "PreparedPackage", "Relationships", "TextDefaults",
    "add_field", "add_hyperlink", "add_list", "add_paragraph", "add_run", "append_block",
    "assemble", "body_digest", "body_of", "clear_body", "copy_list", "copy_missing_styles",
    "free_name", "is_model_part", "link_list_level", "list_definition", "list_levels",
    "model_part_xml", "model_props_xml", "new_table", "open_package", "prepare_package",
    "qn", "read_model_part", "relationships_xml", "reset_core_properties",
    "set_doc_language", "set_outline_level", "set_paragraph_style",
    "set_run_font", "set_style_numbering", "set_table_style_properties",
    "set_update_fields", "skeleton_parts", "style_id", "style_num_id", "style_type",
    "styles_by_name", "table_cells", "table_of_contents", "text_area", "usable_package",
    "write_zip", "zip_parts",
]
