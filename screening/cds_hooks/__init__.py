"""CDS Hooks 2.0 (https://cds-hooks.hl7.org/2.0/): how prescribing and dispensing systems
ask this service for cards. See docs/cds_hooks.md."""
