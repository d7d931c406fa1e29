"""A synthetic library of N topics, as pack folders a kiosk can load: for benchmarks and for
the tests that need thousands of topics.

Titles are built from word lists of conditions, body parts, treatments and groups of people
("Knee Pain", "Physiotherapy for Arthritis", "Asthma in Children"), with real synonyms in
`also_called`, 3 to 8 sections of plain sentences, categories and related links. The same N
and seed always give the same files. Each pack holds at most 1,000 topics and passes
`kiosk pack validate`.

Run: `.venv/bin/python benchmarks/make_library.py 5000 /tmp/library [--seed 1]`
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PACK_SIZE = 1000

# condition -> (category, synonyms)
CONDITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Type 2 Diabetes": ("Hormones and metabolism", ("diabetes", "high blood sugar")),
    "Type 1 Diabetes": ("Hormones and metabolism", ("juvenile diabetes",)),
    "Gestational Diabetes": ("Pregnancy", ("diabetes in pregnancy",)),
    "High Blood Pressure": ("Heart and circulation", ("hypertension",)),
    "Low Blood Pressure": ("Heart and circulation", ("hypotension",)),
    "High Cholesterol": ("Heart and circulation", ("hyperlipidemia",)),
    "Heart Failure": ("Heart and circulation", ("congestive heart failure",)),
    "Atrial Fibrillation": ("Heart and circulation", ("irregular heartbeat", "afib")),
    "Angina": ("Heart and circulation", ("chest pain",)),
    "Varicose Veins": ("Heart and circulation", ("swollen veins",)),
    "Deep Vein Thrombosis": ("Heart and circulation", ("blood clot", "dvt")),
    "Stroke": ("Brain and nerves", ("brain attack",)),
    "Migraine": ("Brain and nerves", ("severe headache",)),
    "Epilepsy": ("Brain and nerves", ("seizures",)),
    "Parkinson's Disease": ("Brain and nerves", ("shaking palsy",)),
    "Multiple Sclerosis": ("Brain and nerves", ("ms",)),
    "Dementia": ("Brain and nerves", ("memory loss", "alzheimer's disease")),
    "Sciatica": ("Back and neck", ("nerve pain in the leg",)),
    "Slipped Disc": ("Back and neck", ("herniated disc", "prolapsed disc")),
    "Osteoarthritis": ("Bones and joints", ("arthritis", "wear and tear arthritis")),
    "Rheumatoid Arthritis": ("Bones and joints", ("arthritis", "inflammatory arthritis")),
    "Gout": ("Bones and joints", ("gouty arthritis",)),
    "Osteoporosis": ("Bones and joints", ("brittle bones", "thin bones")),
    "Tendinitis": ("Bones and joints", ("tendon inflammation",)),
    "Bursitis": ("Bones and joints", ("joint swelling",)),
    "Asthma": ("Lungs and breathing", ("wheezing",)),
    "Chronic Bronchitis": ("Lungs and breathing", ("copd", "smoker's cough")),
    "Emphysema": ("Lungs and breathing", ("copd",)),
    "Pneumonia": ("Lungs and breathing", ("chest infection", "lung infection")),
    "Sleep Apnea": ("Lungs and breathing", ("snoring", "breathing pauses in sleep")),
    "Hay Fever": ("Allergies and skin", ("allergic rhinitis", "pollen allergy")),
    "Eczema": ("Allergies and skin", ("atopic dermatitis", "itchy skin")),
    "Psoriasis": ("Allergies and skin", ("scaly skin",)),
    "Acne": ("Allergies and skin", ("pimples", "spots")),
    "Hives": ("Allergies and skin", ("urticaria", "nettle rash")),
    "Shingles": ("Infections", ("herpes zoster",)),
    "Influenza": ("Infections", ("flu",)),
    "Common Cold": ("Infections", ("cold", "runny nose")),
    "Urinary Tract Infection": ("Kidneys and bladder", ("uti", "bladder infection", "cystitis")),
    "Kidney Stones": ("Kidneys and bladder", ("renal stones",)),
    "Chronic Kidney Disease": ("Kidneys and bladder", ("kidney failure",)),
    "Incontinence": ("Kidneys and bladder", ("bladder leaks", "weak bladder")),
    "Heartburn": ("Stomach and bowel", ("acid reflux", "indigestion", "gerd")),
    "Irritable Bowel Syndrome": ("Stomach and bowel", ("ibs",)),
    "Constipation": ("Stomach and bowel", ("hard stools",)),
    "Gallstones": ("Stomach and bowel", ("gallbladder stones",)),
    "Stomach Ulcer": ("Stomach and bowel", ("peptic ulcer",)),
    "Coeliac Disease": ("Stomach and bowel", ("celiac disease", "gluten intolerance")),
    "Anemia": ("Blood", ("low iron", "iron deficiency")),
    "Thyroid Problems": ("Hormones and metabolism", ("hypothyroidism", "underactive thyroid")),
    "Obesity": ("Hormones and metabolism", ("overweight", "weight problems")),
    "Depression": ("Mind and mood", ("low mood", "feeling down")),
    "Anxiety": ("Mind and mood", ("worry", "nerves", "panic")),
    "Insomnia": ("Mind and mood", ("trouble sleeping", "sleeplessness")),
    "Glaucoma": ("Eyes and ears", ("raised eye pressure",)),
    "Cataracts": ("Eyes and ears", ("cloudy lens",)),
    "Macular Degeneration": ("Eyes and ears", ("amd", "central vision loss")),
    "Hearing Loss": ("Eyes and ears", ("deafness", "hard of hearing")),
    "Tinnitus": ("Eyes and ears", ("ringing in the ears",)),
    "Ear Infection": ("Eyes and ears", ("otitis media", "earache")),
    "Tooth Decay": ("Teeth and mouth", ("cavities", "caries")),
    "Gum Disease": ("Teeth and mouth", ("gingivitis", "periodontitis")),
    "Measles": ("Children and family", ("rubeola",)),
    "Chickenpox": ("Children and family", ("varicella",)),
    "Head Lice": ("Children and family", ("nits",)),
    "Bedwetting": ("Children and family", ("enuresis",)),
}

# part -> synonyms
BODY_PARTS: dict[str, tuple[str, ...]] = {
    "Knee": ("knee joint",),
    "Hip": ("hip joint",),
    "Shoulder": ("shoulder joint",),
    "Ankle": (),
    "Wrist": (),
    "Elbow": ("tennis elbow",),
    "Foot": ("feet",),
    "Hand": ("hands",),
    "Neck": ("cervical spine",),
    "Lower Back": ("lumbar spine", "lumbago"),
    "Upper Back": ("thoracic spine",),
    "Chest": (),
    "Stomach": ("tummy", "abdomen"),
    "Skin": (),
    "Scalp": (),
    "Eye": ("eyes", "vision"),
    "Ear": ("ears",),
    "Throat": ("sore throat",),
    "Jaw": ("tmj",),
    "Tooth": ("teeth",),
    "Heel": ("plantar fasciitis",),
    "Toe": ("toes",),
    "Finger": ("fingers",),
    "Bladder": (),
    "Bowel": ("gut", "intestines"),
}
PART_PROBLEMS = ("Pain", "Injury", "Swelling", "Stiffness", "Numbness", "Strain")
PART_CATEGORY = "Aches, pains and injuries"

TREATMENTS: dict[str, tuple[str, ...]] = {
    "Physiotherapy": ("physical therapy", "physio"),
    "Exercise": ("physical activity",),
    "Healthy Eating": ("diet", "nutrition"),
    "Pain Relief": ("painkillers", "analgesics"),
    "Medicines": ("medication", "tablets"),
    "Surgery": ("an operation",),
    "Talking Therapy": ("counselling", "cbt"),
    "Weight Loss": ("losing weight",),
    "Self-care": ("looking after yourself",),
    "Home Remedies": ("home treatment",),
    "Injections": ("jabs", "shots"),
    "Breathing Exercises": ("breathing techniques",),
    "Massage": (),
    "Acupuncture": (),
    "Heat and Cold Packs": ("ice packs", "hot water bottle"),
}
GROUPS = ("Children", "Teenagers", "Older Adults", "Pregnancy", "Men", "Women", "Babies")
ADJECTIVES = ("Chronic", "Mild", "Severe", "Sudden", "Long-term", "Recurring")

SYMPTOMS = (
    *("tiredness", "pain", "swelling", "fever", "dizziness", "nausea", "headaches", "itching"),
    *("a rash", "shortness of breath", "a cough", "weight loss", "thirst", "blurred vision"),
    *("numbness", "tingling", "stiffness", "cramps", "bloating", "chills", "sweating"),
    *("a racing heart", "poor sleep", "low appetite", "weakness", "bruising", "hoarseness"),
)
ACTIVITIES = (
    *("walking", "swimming", "cycling", "gardening", "dancing", "yoga", "tai chi", "stretching"),
    *("climbing stairs", "light housework", "water aerobics", "bowling", "pilates", "hiking"),
)

HEADINGS = (
    "What is {t}?",
    "Signs to watch for",
    "What causes it",
    "Who is more at risk",
    "How it is found",
    "Treatment",
    "What you can do at home",
    "Living with {t}",
    "Questions to ask your doctor",
    "When to get help right away",
)
SENTENCES = (
    "{T} can affect your {p}, and it often starts slowly.",
    "Many people with {t} feel well most of the time.",
    "Your doctor may suggest {r} as a first step.",
    "Ask your nurse if {r} is right for you.",
    "Tell your doctor if your {p} hurts more than usual.",
    "Some people notice {s1}, {s2} or {s3}.",
    "Try {a} for twenty minutes on most days.",
    "{A} and {a2} are good ways to stay active.",
    "Signs can include {s1} and {s2}.",
    "Drink enough water and rest when you need to.",
    "A simple test at the clinic can show if you have {t}.",
    "It helps to keep a short diary of how you feel each day.",
    "Take your medicines as your doctor tells you, even when you feel better.",
    "Moving your body most days keeps your {p} strong.",
    "Smoking makes {t} worse, and help to quit is free.",
    "Family and friends can help you through the harder days.",
    "Call for help at once if you have sudden chest pain or trouble breathing.",
    "Most people with {t} can work, travel and enjoy their hobbies.",
    "Write down your questions before your next visit.",
    "Follow-up visits let your care team see how you are doing.",
    "Some treatments take a few weeks to work, so give them time.",
    "Eating fruit, vegetables and whole grains supports your health.",
    "If you are not sure what to do, ask the pharmacist.",
    "Sleep is important, and a regular bedtime helps.",
    "Warm baths and gentle stretching can ease stiffness.",
    "Keep a list of your medicines and bring it to every visit.",
    "Children and older adults may show different signs.",
)


@dataclass(frozen=True, slots=True)
class _Title:
    text: str
    category: str
    also_called: tuple[str, ...]
    subject: str  # what the sentences are about
    part: str
    treatment: str


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _all_titles() -> list[_Title]:
    """Every title the patterns can make, in a fixed order."""
    parts = sorted(BODY_PARTS)
    treatments = sorted(TREATMENTS)
    titles: list[_Title] = []
    for condition in sorted(CONDITIONS):
        category, synonyms = CONDITIONS[condition]
        low = condition.lower()
        part = parts[len(titles) % len(parts)].lower()
        treatment = treatments[len(titles) % len(treatments)].lower()

        named = [
            (condition, ()),
            (f"Living with {condition}", ()),
            *((f"{adjective} {condition}", ()) for adjective in ADJECTIVES),
            *((f"{condition} in {g}", (f"{low} and {g.lower()}",)) for g in GROUPS),
        ]
        for text, extra in named:
            titles.append(_Title(text, category, (*synonyms, *extra), low, part, treatment))
        for part_name in parts:
            extra = (f"{low} and the {part_name.lower()}",)
            titles.append(
                _Title(
                    f"{condition} and Your {part_name}",
                    category,
                    (*synonyms, *extra),
                    low,
                    part_name.lower(),
                    treatment,
                )
            )
        for treatment_name in treatments:
            treatment_synonyms = TREATMENTS[treatment_name]
            titles.append(
                _Title(
                    f"{treatment_name} for {condition}",
                    category,
                    (*synonyms, *(f"{s} for {low}" for s in treatment_synonyms)),
                    low,
                    part,
                    treatment_name.lower(),
                )
            )
    for part_name in parts:
        part_synonyms = BODY_PARTS[part_name]
        low = part_name.lower()
        for problem in PART_PROBLEMS:
            for adjective in ADJECTIVES:
                titles.append(
                    _Title(
                        f"{adjective} {part_name} {problem}",
                        PART_CATEGORY,
                        (f"{adjective.lower()} {problem.lower()} in the {low}", *part_synonyms),
                        f"{low} {problem.lower()}",
                        low,
                        "rest",
                    )
                )
            for treatment_name in treatments:
                titles.append(
                    _Title(
                        f"{treatment_name} for {part_name} {problem}",
                        PART_CATEGORY,
                        (*TREATMENTS[treatment_name], f"{problem.lower()} in the {low}"),
                        f"{low} {problem.lower()}",
                        low,
                        treatment_name.lower(),
                    )
                )
            titles.append(
                _Title(
                    f"{part_name} {problem}",
                    PART_CATEGORY,
                    (f"{problem.lower()} in the {low}", *part_synonyms),
                    f"{low} {problem.lower()}",
                    low,
                    "rest",
                )
            )
        titles.append(
            _Title(f"Caring for Your {part_name}", PART_CATEGORY, part_synonyms, low, low, "rest")
        )
        for group in GROUPS:
            titles.append(
                _Title(
                    f"{part_name} Pain in {group}",
                    PART_CATEGORY,
                    (f"sore {low}", *part_synonyms),
                    f"{low} pain",
                    low,
                    "pain relief",
                )
            )
    return titles


def _paragraph(rng: random.Random, title: _Title) -> str:
    chosen = rng.sample(SENTENCES, rng.randint(2, 5))
    s1, s2, s3 = rng.sample(SYMPTOMS, 3)
    a, a2 = rng.sample(ACTIVITIES, 2)
    words = {"t": title.subject, "p": title.part, "r": title.treatment, "a": a, "a2": a2}
    text = " ".join(
        s.format(T=title.subject, A=a.capitalize(), s1=s1, s2=s2, s3=s3, **words) for s in chosen
    )
    return text[0].upper() + text[1:]


def _topic_file(
    rng: random.Random, topic_id: str, title: _Title, related: Sequence[str], year: int
) -> str:
    also = ", ".join(f'"{s}"' for s in dict.fromkeys(title.also_called))
    rel = ", ".join(f'"{r}"' for r in related)
    lines = [
        "+++",
        f'id = "{topic_id}"',
        f'title = "{title.text}"',
        f"also_called = [{also}]",
        f'category = "{title.category}"',
        'language = "en"',
        f"current_as_of = {year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        'authors = ["Synthetic library generator"]',
        "reviewers = []",
        f"related = [{rel}]",
        "+++",
        "",
        _paragraph(rng, title),
        "",
    ]
    for heading in rng.sample(HEADINGS, rng.randint(3, 8)):
        lines += [f"## {heading.format(t=title.subject)}", ""]
        for _ in range(rng.randint(1, 3)):
            lines += [_paragraph(rng, title), ""]
        if rng.random() < 0.3:
            lines += [f"- {_paragraph(rng, title)}" for _ in range(rng.randint(2, 4))]
            lines.append("")
    return "\n".join(lines)


def make_library(count: int, out: Path, seed: int = 1) -> list[Path]:
    """Write `count` topics under `out` as pack folders of at most 1,000 topics each; returns
    the pack folders in order."""
    titles = _all_titles()
    if count > len(titles):
        raise ValueError(f"at most {len(titles)} topics can be made, not {count}")
    rng = random.Random(seed)
    chosen = rng.sample(titles, count)
    folders: list[Path] = []
    for first in range(0, count, PACK_SIZE):
        number = first // PACK_SIZE + 1
        folder = out / f"synthetic-{number:02d}"
        (folder / "topics").mkdir(parents=True, exist_ok=True)
        (folder / "pack.toml").write_text(
            "format = 1\n"
            f'id = "org.example.synthetic-{number:02d}"\n'
            "version = 1\n"
            f'title = "Synthetic topics, part {number}"\n'
            'languages = ["en"]\n'
            'publisher = "Benchmarks"\n'
            "created = 2026-01-15\n",
            encoding="utf-8",
        )
        batch = chosen[first : first + PACK_SIZE]
        ids = [_slug(t.text) for t in batch]
        for topic_id, title in zip(ids, batch, strict=True):
            others = [i for i in rng.sample(ids, min(4, len(ids))) if i != topic_id][:3]
            text = _topic_file(rng, topic_id, title, others, 2024 + rng.randint(0, 2))
            (folder / "topics" / f"{topic_id}.md").write_text(text, encoding="utf-8")
        folders.append(folder)
    return folders


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("count", type=int, metavar="N", help="how many topics")
    parser.add_argument("out", type=Path, metavar="OUT", help="the folder to write packs into")
    parser.add_argument("--seed", type=int, default=1, help="the same seed, the same library")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("N must be 1 or more")
    try:
        folders = make_library(args.count, args.out, args.seed)
    except ValueError as error:
        parser.error(str(error))
    for folder in folders:
        print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
