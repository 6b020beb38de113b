"""Words that surround a medicine name on a real list but are not the name.

All words are folded tokens: lower-case ASCII letters or digits, as `tokens.tokenise`
makes them ("40mg" is "40" + "mg", "Toprol-XL" is "toprol" + "xl", "m/r" is "m" + "r").
A known name is always looked up before a word is treated as noise, so a product such
as "Toprol XL" or "Slow-Mag" keeps its release or pack word.
"""

UNITS = frozenset(
    """
    mg mgs mcg ug microgram micrograms milligram milligrams g gm gms gram grams kg ng
    nanogram nanograms ml mls millilitre milliliter millilitres milliliters l litre liter
    meq mmol mol iu units unit u mu kiu mg ml percent pct w v wt vol strength
    """.split()
)

DOSE_FORMS = frozenset(
    """
    tab tabs tablet tablets tbl tbls tabl cap caps capsule capsules cp caplet caplets
    soln sol solution solutions susp suspension syrup syr elixir liquid liquids mixture
    drop drops gtt gtts eye eyes ear ears nasal nose spray sprays inhaler inhalers inh
    inhalation inhaled nebuliser nebulizer nebules neb nebs aerosol mdi dpi puff puffs
    actuation actuations powder powders granules sachet sachets cream creams ointment
    oint gel gels lotion foam shampoo wash paste patch patches transdermal plaster film
    films injection injections inj injectable infusion vial vials ampoule ampoules amp
    pen pens cartridge cartridges prefilled syringe syringes pfs suppository
    suppositories supp enema pessary pessaries lozenge lozenges pastille pastilles gum
    chewable chewables chew chewing dispersible disp effervescent orodispersible odt
    soluble coated uncoated fc ec gastro resistant enteric scored sugar free kit pack
    packs box bottle bottles blister blisters strip strips device dose doses
    concentrate conc emulsion drink hfa mdi evohaler accuhaler autohaler easyhaler
    turbuhaler handihaler diskus ellipta respimat breezhaler genuair inhub flexpen
    kwikpen solostar
    """.split()
)

RELEASE_WORDS = frozenset(
    """
    er xl xr sr cr la cd dr mr ir sa ta xt hs retard retardation extended release
    released releasing modified delayed sustained controlled prolonged immediate slow
    hr hrs hour hours
    """.split()
)

ROUTES = frozenset(
    """
    po p o oral orally mouth by sl sublingual buccal sc subcut subcutaneous subq sq iv im
    intravenous intramuscular top topical topically pr rectal rectally pv vaginal
    vaginally ophthalmic otic dermal cutaneous via ng peg apply applied inhale inhaled
    instil instill insert inject injected use chew swallow dissolve
    """.split()
)

FREQUENCIES_AND_SIG = frozenset(
    """
    daily qd od om on qam qpm qhs qh qn bid bd tid tds qid qds qod qow qw prn sos stat
    mane nocte noct nightly night nights morning mornings evening evenings bedtime
    noon midday lunch breakfast dinner supper meal meals food empty stomach
    q h d t x weekly week weeks monthly month months day days year years
    once twice thrice times time every each other alternate alt per a an the
    take takes taking taken give given one two three four five six half quarter
    whole tablespoon teaspoon tsp tbsp as needed need directed required necessary
    when if up max maximum not more than exceed then until continue continued stop
    stopped start started hold held with without before after at in of to for from
    and or plus also only usual usually ac pc cc ud mdu asd ad lib sig rx dispense
    disp qty quantity supply refill refills rf repeat repeats no nr generic brand
    otc equivalent equiv eq same new old current currently
    pain pains leg legs cramp cramps cramping muscle muscles blood pressure bp heart
    water pill pills fluid swelling cholesterol
    """.split()
)

# Words that join the parts of a combination written out in full ("a and b").
JOINING_WORDS = frozenset({"and", "with", "plus", "w"})

# Salt and ester words that may follow an ingredient name on a label. Each ingredient's
# own `salts` list adds to these. Cation words (calcium, potassium, magnesium, sodium)
# are here too because labels print them after the name ("atorvastatin calcium",
# "losartan potassium"): they are read as a salt only directly after an ingredient.
GENERAL_SALTS = frozenset(
    """
    hydrochloride hydrochlorid hcl dihydrochloride hydrobromide hbr sodium disodium
    potassium dipotassium calcium magnesium zinc lithium aluminium aluminum
    succinate tartrate bitartrate fumarate hemifumarate besylate besilate maleate
    mesylate mesilate dimesylate citrate sulfate sulphate hemisulfate bisulfate
    phosphate diphosphate acetate bromide chloride iodide nitrate mononitrate lactate
    gluconate hyclate monohydrate dihydrate trihydrate hemihydrate sesquihydrate hydrate
    anhydrous medoxomil cilexetil axetil pivoxil proxetil dipropionate propionate
    valerate butyrate erbumine arginine tert butylamine tosylate camsylate malate
    tromethamine trometamol base free hydrogen carbonate bicarbonate oxalate xinafoate
    furoate pamoate embonate decanoate enanthate cypionate stearate palmitate
    aspartate lysine salt ester ethyl
    """.split()
)

# Generic makers' prefixes and house brands written before an ingredient ("APO-Simvastatin",
# "pms-hydrochlorothiazide", "Chemmart Atorvastatin"): the ingredient is what is taken.
MAKERS = frozenset(
    """
    apo novo nu pms teva mint pro sandoz mylan ratio jamp auro sz gh generichealth noumed
    chemmart pharmacor blooms terry white amneal aurobindo zydus lupin accord actavis
    """.split()
)

# Everything that is noise around a name once no known name starts at a word.
NOISE = UNITS | DOSE_FORMS | RELEASE_WORDS | ROUTES | FREQUENCIES_AND_SIG | JOINING_WORDS | MAKERS

# Characters between two words that separate two items (a combination or a pasted list).
SEPARATOR_CHARACTERS = frozenset(",;/+&|\n")

# Words that say where a medicine goes. When a line holds words of several routes, the
# most local one wins (see lines._line_route): "ciprofloxacin 0.3% ophthalmic solution"
# is an eye drop whatever "solution" could be, and "eye" is never said of a tablet.
ROUTE_WORDS = {
    "ophthalmic": "eye eyes ophthalmic ophth opth intraocular",
    "otic": "ear ears otic auricular",
    "nasal": "nasal nose intranasal",
    "inhaled": """inhaler inhalers inh inhalation inhaled inhale nebuliser nebulizer nebules
        neb nebs mdi dpi hfa puff puffs evohaler accuhaler autohaler easyhaler turbuhaler
        handihaler diskus ellipta respimat breezhaler genuair inhub""",
    "vaginal": "vaginal vaginally pv pessary pessaries",
    "rectal": "rectal rectally pr suppository suppositories enema",
    "transdermal": "transdermal patch patches",
    "topical": """cream creams ointment oint gel gels lotion foam shampoo topical topically
        cutaneous dermal skin""",
    "injection": """injection injections inj injectable infusion iv im sc subcut subcutaneous
        subq intravenous intramuscular vial vials ampoule ampoules syringe syringes pfs depot""",
    "oral": """po oral orally mouth tab tabs tablet tablets cap caps capsule capsules caplet
        caplets chewable syrup elixir sublingual sl buccal odt orodispersible dispersible""",
}
