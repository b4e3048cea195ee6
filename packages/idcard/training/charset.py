"""The recogniser's alphabet: every Vietnamese letter with its diacritics (NFC), digits, the
punctuation printed on ID cards and the MRZ filler '<'. Index 0 is the CTC blank.
Written to src/ocr/charset.json by train_ctc.py so the TypeScript decoder reads the same list."""
import unicodedata

VOWELS = "aăâeêioôơuưy"
CONSONANTS = "bcdđghklmnpqrstvxfjwz"
# combining marks for the five tones (grave, acute, hook above, tilde, dot below)
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
PUNCT = " /,-.<():'"


def letters():
    out = []
    for v in VOWELS:
        for t in TONES:
            out.append(unicodedata.normalize("NFC", v + t))
    out.extend(CONSONANTS)
    lower = sorted(set(out))
    upper = [c.upper() for c in lower]
    return lower + upper


def charset():
    chars = letters() + list("0123456789") + list(PUNCT)
    seen, out = set(), []
    for c in chars:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


if __name__ == "__main__":
    cs = charset()
    print(len(cs), "".join(cs))
