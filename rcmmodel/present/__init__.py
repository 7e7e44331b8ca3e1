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
    'denials_by_payer': 'charts_claims',
    'net_gain_ranges': 'charts_decision',
    'whatif_net_gains': 'charts_decision',
    'portfolio_net_gains': 'charts_decision',
    'fees_by_month': 'charts_audit',
    'kpis_against_sla': 'charts_audit',
    'denials_by_reason': 'charts_audit',
    'decision_points': 'verdict',
    'lock_in': 'verdict',
    'reason': 'decision_text',
    'flip_text': 'decision_text',
    'decision_dict': 'decision_text',
    'capacity_summary': 'capacity_text',
    'comparison_dict': 'flags_text',
    'flag_message': 'flags_text',
    'assumptions': 'narrative',
    'key_figures': 'narrative',
}
__all__ = sorted(_WHERE)

from .._lazy import lazy_exports  # noqa: E402

__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
