"""Compliance rules over stored inventory: the rule model, one engine, registries, frameworks.

A rule is data (ID, title, severity, rationale, remediation, the resource type it reads) plus a
small pure predicate over the raw API record. Frameworks (CIS, custom) are data files that cite
rule IDs; a rule never knows which framework cites it.
"""
