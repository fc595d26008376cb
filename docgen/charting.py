"""Which figures the summary's charts show: the data's chart settings, or a sensible default."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from docgen import cnformat, figures
from docgen.charts import ChartSpec, column_spec, growth_spec
from docgen.errors import DataError, DataErrors, Problem
from docgen.i18n import _
from docgen.loading import DataFile
from docgen.model import Indicator


def chosen_indicators(data: DataFile) -> list[tuple[str, Indicator]]:
    """The indicators the chart compares: as the data names them, else the default.

    The default: those with a previous value, rates left out, in the commonest unit (the first
    such unit on a tie), so the bars share one axis.
    """
    t = data.township
    settings = t.chart
    if not settings.show:
        return []
    if settings.indicators is None:
        comparable = [(k, i) for k, i in t.indicators.items()
                      if i.previous is not None and not i.is_rate]
        if not comparable:
            return []
        units = Counter(i.unit for _, i in comparable)
        unit = max(units, key=lambda u: (units[u], -[i.unit for _, i in comparable].index(u)))
        return [(k, i) for k, i in comparable if i.unit == unit]
    problems = []
    chosen = []
    for n, key in enumerate(settings.indicators):
        place = data.place(("chart", "indicators", n))
        ind = t.indicators.get(key)
        if ind is None:
            problems.append(Problem(place, _("there is no indicator '{key}'").format(key=key)))
        elif ind.previous is None:
            problems.append(Problem(place, _("'{key}' has no previous value to compare with")
                                    .format(key=key)))
        else:
            chosen.append((key, ind))
    chosen_units = {i.unit for _, i in chosen}
    if len(chosen_units) > 1 and not problems:
        problems.append(Problem(data.place(("chart", "indicators")),
                                _("the chart's indicators must share one unit, not {units}")
                                .format(units="、".join(sorted(chosen_units)))))
    if problems:
        raise DataErrors(problems)
    return chosen


def chart_context(data: DataFile) -> dict[str, ChartSpec | str | None]:
    """``chart`` (this year against last), ``growth_chart`` and ``chart_caption`` for the template."""
    t = data.township
    chosen = chosen_indicators(data)
    if not chosen:
        return {"chart": None, "growth_chart": None, "chart_caption": ""}
    last = "上年同期" if t.through_month < 12 else "上年"
    this = f"{t.year}年" if t.through_month == 12 else f"{t.year}年{cnformat.period(t.through_month)}"
    title = t.chart.title or f"主要指标与{last}对比"
    unit = chosen[0][1].unit
    items: list[tuple[str, Decimal, Decimal]] = []
    growths: list[tuple[str, Decimal]] = []
    for key, ind in chosen:
        assert ind.previous is not None  # chosen_indicators keeps only those
        items.append((ind.name, ind.value, ind.previous))
        try:
            growths.append((ind.name, figures.growth(ind.value, ind.previous,
                                                     field=f"indicators.{key}.previous")))
        except DataError as exc:
            raise DataErrors([Problem(data.place(("indicators", key, "previous")), exc.message)]) \
                from None
    return {
        "chart": column_spec(title, items, unit, this_year=this, last_year=last),
        "growth_chart": growth_spec(f"主要指标比{last}增长情况", growths,
                                    series_name=f"比{last}增长"),
        "chart_caption": f"图1　{title}（单位：{unit}）",
    }
