"""Words for labels a journalist reads: past participles of verbs ("hit", "struck", "spoken"),
without an inflection library. The small English model gives lemmas; the label needs the form
that follows the counted thing ("People killed", "Warships sent", "Rockets fired").
"""

from __future__ import annotations

# Irregular verbs common in news copy: lemma -> past participle.
_IRREGULAR: dict[str, str] = {
    "be": "been", "bear": "borne", "beat": "beaten", "become": "become", "begin": "begun",
    "bend": "bent", "bind": "bound", "bite": "bitten", "bleed": "bled", "blow": "blown",
    "break": "broken", "bring": "brought", "build": "built", "burn": "burnt", "burst": "burst",
    "buy": "bought", "cast": "cast", "catch": "caught", "choose": "chosen", "come": "come",
    "cost": "cost", "cut": "cut", "deal": "dealt", "dig": "dug", "do": "done", "draw": "drawn",
    "drive": "driven", "eat": "eaten", "fall": "fallen", "feed": "fed", "feel": "felt",
    "fight": "fought", "find": "found", "flee": "fled", "fly": "flown", "forbid": "forbidden",
    "forget": "forgotten", "freeze": "frozen", "get": "got", "give": "given", "go": "gone",
    "grow": "grown", "hang": "hung", "have": "had", "hear": "heard", "hide": "hidden",
    "hit": "hit", "hold": "held", "hurt": "hurt", "keep": "kept", "know": "known",
    "lay": "laid", "lead": "led", "leave": "left", "lend": "lent", "let": "let", "lie": "lain",
    "light": "lit", "lose": "lost", "make": "made", "mean": "meant", "meet": "met",
    "pay": "paid", "put": "put", "quit": "quit", "read": "read", "ride": "ridden",
    "ring": "rung", "rise": "risen", "run": "run", "say": "said", "see": "seen",
    "seek": "sought", "sell": "sold", "send": "sent", "set": "set", "shake": "shaken",
    "shed": "shed", "shoot": "shot", "show": "shown", "shut": "shut", "sink": "sunk",
    "sit": "sat", "slay": "slain", "sleep": "slept", "speak": "spoken", "spend": "spent",
    "split": "split", "spread": "spread", "stand": "stood", "steal": "stolen", "stick": "stuck",
    "strike": "struck", "swear": "sworn", "sweep": "swept", "take": "taken", "teach": "taught",
    "tear": "torn", "tell": "told", "think": "thought", "throw": "thrown",
    "understand": "understood", "undertake": "undertaken", "wake": "woken", "wear": "worn",
    "win": "won", "withdraw": "withdrawn", "write": "written", "overrun": "overrun",
    "shelter": "sheltered", "miss": "missing",
}
# Verbs ending consonant-vowel-consonant whose last letter doubles ("ship" -> "shipped").
_DOUBLING = frozenset({"ship", "drop", "stop", "plan", "ban", "trap", "grab", "rob", "tap",
                       "strip", "slip", "jam", "scrap", "top", "dip", "pin", "bar", "jail"})


def participle(verb: str) -> str:
    """The past participle of a verb lemma: "kill" -> "killed", "hit" -> "hit",
    "strike" -> "struck", "carry" -> "carried"."""
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v.endswith("ed"):
        return v  # already a participle ("wounded", "injured" as lemmas of adjectives)
    if v in _DOUBLING and v != "jail":
        return v + v[-1] + "ed"
    if v.endswith("e"):
        return v + "d"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return v[:-1] + "ied"
    return v + "ed"
