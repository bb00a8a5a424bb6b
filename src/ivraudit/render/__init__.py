"""Drawings: a menu's graph and findings as Graphviz DOT, and DOT to svg, png or pdf."""
