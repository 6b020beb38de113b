"""The benchmark's lines, each with the ingredients a pharmacist reads in it.

A realistic mixed list as dispensing records and patients write them: exact generic
names, products with strengths and directions, combination products, and misspellings
(the first of each kind from tests/engine/typo_set.py's rules, on common medicines)."""

EXACT = [
    ("furosemide", {"furosemide"}),
    ("hydrochlorothiazide", {"hydrochlorothiazide"}),
    ("simvastatin", {"simvastatin"}),
    ("metoprolol", {"metoprolol"}),
    ("amiloride", {"amiloride"}),
    ("salmeterol", {"salmeterol"}),
    ("levothyroxine", {"levothyroxine"}),
    ("omeprazole", {"omeprazole"}),
    ("atorvastatin", {"atorvastatin"}),
    ("lisinopril", {"lisinopril"}),
]
PRODUCTS = [
    ("Lasix 40 mg 1 po qam", {"furosemide"}),
    ("atorvastatin calcium 40mg tab qhs", {"atorvastatin"}),
    ("metoprolol succinate ER 50 mg daily", {"metoprolol"}),
    ("Klor-Con M20 one daily", {"potassium chloride"}),
    ("levothyroxine 75 mcg qam", {"levothyroxine"}),
    ("omeprazole 20mg daily", {"omeprazole"}),
    ("Eliquis 5mg bid", {"apixaban"}),
    ("gabapentin 300 mg tid", {"gabapentin"}),
    ("Serevent 50 mcg inhaler one puff twice daily", {"salmeterol"}),
    ("Crestor 10 mg at night", {"rosuvastatin"}),
]
COMBINATIONS = [
    ("losartan/HCTZ 100/25", {"losartan", "hydrochlorothiazide"}),
    ("Zestoretic 20/12.5 daily", {"lisinopril", "hydrochlorothiazide"}),
    ("co-amilofruse 5/40", {"amiloride", "furosemide"}),
    ("Symbicort 160/4.5 2 puffs BID", {"budesonide", "formoterol"}),
    ("Advair Diskus 250/50", {"fluticasone", "salmeterol"}),
    ("amlodipine and atorvastatin 5 mg/10 mg", {"amlodipine", "atorvastatin"}),
    ("simvastatin-ezetimibe 10/40", {"ezetimibe", "simvastatin"}),
    ("triamterene/HCTZ 37.5-25", {"triamterene", "hydrochlorothiazide"}),
]
MISSPELLINGS = [
    ("furosimide 20mg", {"furosemide"}),
    ("atorvastatn", {"atorvastatin"}),
    ("atenelol 50 mg", {"atenolol"}),
    ("rosuvastatine 10mg", {"rosuvastatin"}),
    ("hydroclorothiazide 25", {"hydrochlorothiazide"}),
    ("metoprolol sucinate", {"metoprolol"}),
    ("simvastaitn 40", {"simvastatin"}),
    ("levothyroxin 50 mcg", {"levothyroxine"}),
    ("amlodopine 5mg", {"amlodipine"}),
    ("spironolacton 25", {"spironolactone"}),
]
NOISE = [("Tylenol PRN", {"acetaminophen"}), ("asdfgh qwerty", set())]

MIXED = EXACT + PRODUCTS + COMBINATIONS + MISSPELLINGS + NOISE
