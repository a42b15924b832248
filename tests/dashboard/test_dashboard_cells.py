"""How a report table's cells are written: numbers in the page's language, a dash that screen
readers hear as "no figure", hidden cells marked, percentages with their sign, names escaped."""
from activity_hub.dashboard.report import HIDDEN, Column
from activity_hub.dashboard.table_cells import cell_html


def test_cells(app):
    number, percent, text = Column("n", "N"), Column("p", "P", "percent"), Column("t", "T", "text")
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert cell_html(number, 12345) == '<td class="numeric">12,345</td>'
        assert cell_html(number, 2.5) == '<td class="numeric">2.5</td>'
        assert cell_html(number, None) == ('<td class="numeric"><span aria-hidden="true">—</span>'
                                           '<span class="visually-hidden">no figure</span></td>')
        assert cell_html(number, HIDDEN) == '<td class="numeric"><span class="hidden-cell">not shown</span></td>'
        assert cell_html(percent, 42) == '<td class="numeric">42%</td>'
        assert cell_html(percent, HIDDEN) == '<td class="numeric"><span class="hidden-cell">not shown</span></td>'
        assert cell_html(text, "<b>队</b> & co") == "<td>&lt;b&gt;队&lt;/b&gt; &amp; co</td>"
        assert cell_html(text, None) == "<td></td>"
