"""The deterministic model: in-house cost, vendor fees, net gain, timeline, break-even.

Pure numpy functions that take floats or arrays alike; :func:`evaluate` runs them over a
scenario and returns a result whose ``to_dict()`` is the JSON of ``rcm evaluate``;
:func:`measure_claims` fills a scenario's baseline from its claims files."""
from .inhouse import inhouse_parts, inhouse_savings, inhouse_tco
from .pricing import monthly_service_fee, service_fee
from .gain import SteadyYear, net_gain, roi, steady_net_gain, vendor_figures
from .timeline import monthly_flows, npv, overlap, payback_month, ramp
from .breakeven import GainCurve, breakeven, gain_curve, max_rate, min_uplift
from .inputs import scenario_inputs, with_inputs
from .evaluate import Evaluation, evaluate
from .measure import MeasuredClaims, measure_claims, scenario_with_claims

__all__ = [
    'Evaluation',
    'GainCurve',
    'MeasuredClaims',
    'SteadyYear',
    'breakeven',
    'evaluate',
    'gain_curve',
    'inhouse_parts',
    'inhouse_savings',
    'inhouse_tco',
    'max_rate',
    'measure_claims',
    'min_uplift',
    'monthly_flows',
    'monthly_service_fee',
    'net_gain',
    'npv',
    'overlap',
    'payback_month',
    'ramp',
    'roi',
    'scenario_inputs',
    'scenario_with_claims',
    'service_fee',
    'steady_net_gain',
    'vendor_figures',
    'with_inputs',
]
