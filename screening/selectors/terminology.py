"""The RxNorm entries one screening's codes need, read in at most two queries."""

from collections.abc import Iterable

from screening.engine.codes import ndc_candidates, system_label
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import LineInput, ProductCode, Terminology
from screening.models import RxNormConcept, RxNormNdc


def terminology_for(index: KnowledgeIndex, lines: Iterable[LineInput]) -> Terminology:
    """What the imported RxNorm release says about the product codes and NDCs on these
    lines; codes the knowledge base itself knows are not looked up."""
    release = index.rxnorm_release
    rxcuis: set[str] = set()
    ndcs: set[str] = set()
    for line in lines:
        for coding in line.coding:
            label = system_label(coding.system)
            code = str(coding.code).strip()
            if label == "RxNorm" and code not in index.rxnorm:
                rxcuis.add(code)
            elif label == "NDC":
                ndcs.update(ndc_candidates(code))
    if release is None or not (rxcuis or ndcs):
        return Terminology(release=release)
    ndc_concepts = (
        dict(RxNormNdc.objects.filter(ndc__in=ndcs).values_list("ndc", "rxcui")) if ndcs else {}
    )
    products = {
        rxcui: ProductCode(
            rxcui=rxcui,
            name=name,
            tty=tty,
            ingredients=tuple((str(i), str(n)) for i, n in ingredients),
        )
        for rxcui, name, tty, ingredients in RxNormConcept.objects.filter(
            rxcui__in=rxcuis | set(ndc_concepts.values())
        ).values_list("rxcui", "name", "tty", "ingredients")
    }
    return Terminology(
        release=release,
        rxnorm={code: products[code] for code in rxcuis if code in products},
        ndc={ndc: products[rxcui] for ndc, rxcui in ndc_concepts.items() if rxcui in products},
    )
