"""Rich but safe text: users write Markdown, pages and PDFs get sanitised HTML (no scripts, no styles)."""

import markdown
import nh3

TAG_AMMESSI = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
ATTRIBUTI_AMMESSI = {"a": {"href", "title"}, "th": {"scope"}}


def markdown_sicuro(testo: str) -> str:
    """Markdown → HTML with only structural tags; links keep http(s) and mailto, nothing else."""
    html = markdown.markdown(testo or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=TAG_AMMESSI,
        attributes=ATTRIBUTI_AMMESSI,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
