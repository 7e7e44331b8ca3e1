"""What could go otherwise: Monte Carlo, tornado and break-even maps, growth capacity."""
from .uncertainty import Simulation, simulate
from .sensitivity import breakeven_map, tornado
from .capacity import CapacityResult, capacity

__all__ = [
    'CapacityResult',
    'Simulation',
    'breakeven_map',
    'capacity',
    'simulate',
    'tornado',
]
