"""FHIR R4 resources as pharmacy and prescribing systems send them.

Shapes follow FHIR R4 and the public Synthea and US Core examples: RxNorm clinical-drug
codes with their display, dosage instructions with timing, contained Medications.
RxNorm 310798 (hydrochlorothiazide 25 MG Oral Tablet) and 312961 (simvastatin 20 MG Oral
Tablet) appear in Synthea's medication modules; NDC 68071-4819-1 is hydrochlorothiazide
25 mg in openFDA's NDC directory (docs/rxnorm.md).
"""

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
NDC = "http://hl7.org/fhir/sid/ndc"
SNOMED = "http://snomed.info/sct"
PATIENT = {"reference": "Patient/p1"}


def medication_request(id_, concept, *, status="active", dosage="Take 1 tablet by mouth daily"):
    return {
        "resourceType": "MedicationRequest",
        "id": id_,
        "meta": {
            "profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest"]
        },
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": concept,
        "subject": PATIENT,
        "authoredOn": "2024-03-01T09:30:00-05:00",
        "requester": {"reference": "Practitioner/pr1", "display": "Dr. Adams"},
        "dosageInstruction": [
            {
                "sequence": 1,
                "text": dosage,
                "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                "asNeededBoolean": False,
            }
        ],
    }


HCTZ = {
    "coding": [
        {"system": RXNORM, "code": "310798", "display": "Hydrochlorothiazide 25 MG Oral Tablet"}
    ],
    "text": "Hydrochlorothiazide 25 MG Oral Tablet",
}
SIMVASTATIN_CODE_ONLY = {
    "coding": [{"system": RXNORM, "code": "312961", "display": "simvastatin 20 MG Oral Tablet"}]
}


def pharmacy_bundle():
    """A search result a dispensing system sends: coded and text-only medicines, a
    contained Medication, a stopped statement, a dispense with an NDC, and the patient."""
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 6,
        "entry": [
            {
                "fullUrl": "https://ehr.example.org/fhir/MedicationRequest/mr-hctz",
                "resource": medication_request("mr-hctz", HCTZ),
                "search": {"mode": "match"},
            },
            {
                "fullUrl": "https://ehr.example.org/fhir/MedicationRequest/mr-simva",
                "resource": medication_request("mr-simva", SIMVASTATIN_CODE_ONLY),
            },
            {
                "fullUrl": "https://ehr.example.org/fhir/MedicationStatement/ms-clari",
                "resource": {
                    "resourceType": "MedicationStatement",
                    "id": "ms-clari",
                    "status": "active",
                    "medicationReference": {"reference": "#clari"},
                    "contained": [
                        {
                            "resourceType": "Medication",
                            "id": "clari",
                            "code": {"text": "Clarithromycin 500mg tablets"},
                        }
                    ],
                    "subject": PATIENT,
                    "dosage": [{"text": "one twice a day for 7 days"}],
                },
            },
            {
                "fullUrl": "https://ehr.example.org/fhir/MedicationStatement/ms-old",
                "resource": {
                    "resourceType": "MedicationStatement",
                    "id": "ms-old",
                    "status": "stopped",
                    "medicationCodeableConcept": {"text": "atorvastatin 40 mg"},
                    "subject": PATIENT,
                },
            },
            {
                "fullUrl": "https://ehr.example.org/fhir/MedicationDispense/md-1",
                "resource": {
                    "resourceType": "MedicationDispense",
                    "id": "md-1",
                    "status": "completed",
                    "medicationCodeableConcept": {
                        "coding": [
                            {
                                "system": NDC,
                                "code": "68071-4819-1",
                                "display": "Hydrochlorothiazide 25 mg oral tablet",
                            }
                        ]
                    },
                    "subject": PATIENT,
                    "quantity": {"value": 30, "unit": "tablet"},
                    "whenHandedOver": "2024-03-02T10:00:00-05:00",
                },
            },
            {
                "fullUrl": "https://ehr.example.org/fhir/Patient/p1",
                "resource": {"resourceType": "Patient", "id": "p1", "birthDate": "1950-04-02"},
                "search": {"mode": "include"},
            },
        ],
    }
