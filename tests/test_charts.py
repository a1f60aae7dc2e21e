from safeguarding import formatting
from safeguarding.charts import Series, bar_chart


def test_chart_has_title_description_labels_and_a_table():
    chart = bar_chart(
        "Budget by line",
        ["Salaries", "Independent Chair"],
        [Series("Budget", [7_980_000, 2_000_000]), Series("Actual", [7_000_000, 2_100_000])],
        value_format=formatting.money,
    )
    svg = str(chart.svg)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "£79,800.00" in svg and "£21,000.00" in svg  # values are written, not only drawn
    assert "Salaries: Budget £79,800.00, Actual £70,000.00" in chart.description
    table = str(chart.table_html)
    assert "<caption" in table and 'scope="row"' in table and "£20,000.00" in table


def test_stacked_chart_and_escaping():
    chart = bar_chart("Items <by> RAG", ["A & B"], [Series("Red", [2]), Series("Green", [3])], stacked=True)
    assert "Items &lt;by&gt; RAG" in str(chart.svg) and "A &amp; B" in str(chart.svg)
    assert ">5<" in str(chart.svg)  # the stacked total is labelled


def test_series_must_match_categories():
    import pytest

    with pytest.raises(ValueError):
        bar_chart("x", ["a", "b"], [Series("s", [1])])


def test_a_stage_with_no_data_is_not_drawn_as_zero():
    chart = bar_chart("Median days", ["Referral to decision"], [Series("SARs", [40]), Series("CSPRs", [None])])
    svg, table = str(chart.svg), str(chart.table_html)
    assert "no data" in svg and ">0<" not in svg
    assert "CSPRs no data" in chart.description
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">–</td>' in table


def test_a_long_category_label_wraps_rather_than_being_cut_off():
    chart = bar_chart("Median days", ["Draft report to publication"], [Series("SARs", [12])])
    svg = str(chart.svg)
    assert ">Draft report to<" in svg and ">publication<" in svg
