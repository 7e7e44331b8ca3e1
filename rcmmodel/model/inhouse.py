"""In-house total cost of ownership (docs/methodology.md §1 What billing costs in-house).

    wages       = sum(fte * salary)
    inhouse_tco = wages * (1 + payroll_tax_rate + benefits_rate) + sum(costs)
                  + turnover.annual_rate * sum(fte) * turnover.cost_per_departure
"""
from __future__ import annotations


def wages(staff) -> float:
    """Sum of fte * salary over ``[(fte, salary), ...]``."""
    return sum(fte * salary for fte, salary in staff)


def turnover_cost(total_fte, annual_rate, cost_per_departure):
    """Expected yearly cost of replacing billers who leave."""
    return annual_rate * total_fte * cost_per_departure


def inhouse_parts(staff, payroll_tax_rate=0.0765, benefits_rate=0.20, costs=None,
                  turnover_rate=0.0, cost_per_departure=0.0) -> dict:
    """The in-house TCO split into its parts: wages, payroll_tax, benefits, each cost under
    its own key, and turnover (the labels people read are in rcmmodel.present.labels).

    Examples
    --------
    >>> parts = inhouse_parts([(1.0, 45000)], 0.0765, 0.20, {"software": 4800}, 0.35, 20000)
    >>> list(parts)
    ['wages', 'payroll_tax', 'benefits', 'software', 'turnover']
    >>> round(sum(parts.values()), 2)       # 45,000 x 1.2765 + 4,800 + 0.35 x 20,000
    69242.5
    """
    w = wages(staff)
    parts = {"wages": w, "payroll_tax": w * payroll_tax_rate, "benefits": w * benefits_rate}
    parts.update(costs or {})
    total_fte = sum(fte for fte, _ in staff)
    parts["turnover"] = turnover_cost(total_fte, turnover_rate, cost_per_departure)
    return parts


def inhouse_tco(staff, payroll_tax_rate=0.0765, benefits_rate=0.20, costs=None,
                turnover_rate=0.0, cost_per_departure=0.0):
    """Fully loaded yearly cost of billing in-house."""
    return sum(inhouse_parts(staff, payroll_tax_rate, benefits_rate, costs, turnover_rate,
                             cost_per_departure).values())


def inhouse_savings(tco, residual_after_outsourcing=0.0):
    """What outsourcing saves: the TCO less what stays in-house."""
    return tco - residual_after_outsourcing
