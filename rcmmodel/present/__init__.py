"""Presenting results: charts (altair), narrative text and labels. Computes nothing new."""
_WHERE = {
    'tco_breakdown': 'charts',
    'cost_comparison': 'charts',
    'cumulative_cash': 'charts',
    'net_gain_vs_rate': 'charts',
    'to_svg': 'charts',
    'to_png': 'charts',
    'tornado_chart': 'charts_risk',
    'breakeven_heatmap': 'charts_risk',
    'simulation_histogram': 'charts_risk',
    'capacity_chart': 'charts_risk',
    'effective_rates': 'charts_vendors',
    'sla_scorecard': 'charts_vendors',
    'ranking_scores': 'charts_vendors',
    'stability_ranges': 'charts_vendors',
    'denials_by_category': 'charts_claims',
    'days_to_pay': 'charts_claims',
    'aging_stack': 'charts_claims',
    'decision_points': 'verdict',
    'lock_in': 'verdict',
    'assumptions': 'narrative',
    'key_figures': 'narrative',
}
__all__ = sorted(_WHERE)


def __getattr__(name):  # exports load on first use, so importing a light module stays light
    if name in _WHERE:
        from importlib import import_module
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
