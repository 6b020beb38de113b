"""FHIR R4 in and out: medication resources read as lines, a result written as DetectedIssues.

Parsed and built with the fhir.resources models of FHIR R4B (4.3.0), whose medication
and DetectedIssue resources have R4's elements and codes; fhir.resources has no R4
package for pydantic 2 (docs/fhir.md).
"""
