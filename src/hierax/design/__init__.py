"""From formulas and data to the arrays a model is built from."""

from hierax.design.formula import CommonTerm, Design, GroupTerm, formula_columns, make_design

__all__ = ["CommonTerm", "Design", "GroupTerm", "formula_columns", "make_design"]
