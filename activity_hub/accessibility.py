"""The accessibility taxonomy: needs, venue features, volunteer skills.

This is the only place the codes are spelled out. Registrations, the organizer's
needs summary, the venue check and volunteer matching all read from here.
"""
from dataclasses import dataclass

from wtforms import SelectChoice

from .locale_text import pick


@dataclass(frozen=True)
class Need:
    code: str
    zh: str
    en: str
    # What the organizer must arrange, in both languages.
    arrange_zh: str
    arrange_en: str
    venue_feature: str | None = None
    volunteer_skill: str | None = None
    consumes_wheelchair_space: bool = False
    free_text: bool = False
    # Companions need it too (a seat in the car, a reserved seat beside the resident).
    includes_companions: bool = False

    @property
    def label(self):
        return pick(self.zh, self.en)

    @property
    def arrangement(self):
        return pick(self.arrange_zh, self.arrange_en)


@dataclass(frozen=True)
class Feature:
    code: str
    zh: str
    en: str

    @property
    def label(self):
        return pick(self.zh, self.en)


NEEDS = [
    Need("wheelchair_space", "轮椅位 / 无障碍通道", "Wheelchair space / step-free access",
         "预留轮椅位，确认无障碍通道畅通", "Reserve a wheelchair space and keep the step-free route clear",
         venue_feature="step_free", consumes_wheelchair_space=True),
    Need("seat_no_queue", "预留座位、免排队", "Reserved seat, no queuing",
         "预留座位并安排免排队入场", "Reserve a seat and arrange entry without queuing", includes_companions=True),
    Need("accessible_toilet", "无障碍卫生间", "Accessible toilet",
         "确认场地有可用的无障碍卫生间", "Make sure the venue's accessible toilet is open",
         venue_feature="accessible_toilet"),
    Need("sign_language", "手语翻译（国家通用手语）", "Sign-language interpreter (Chinese Sign Language)",
         "安排手语翻译", "Book a sign-language interpreter", volunteer_skill="sign_language"),
    Need("captions", "实时字幕", "Live captions",
         "安排实时字幕员", "Book a live captioner"),
    Need("hearing_loop", "助听环路", "Hearing loop",
         "确认助听环路可用", "Make sure the hearing loop works", venue_feature="hearing_loop"),
    Need("braille", "盲文资料", "Braille materials",
         "准备盲文资料", "Prepare braille copies"),
    Need("large_print", "大字版资料", "Large-print materials",
         "准备大字版资料", "Prepare large-print copies"),
    Need("e_text", "电子文本（读屏友好）", "Electronic text (screen-reader friendly)",
         "提前发送读屏友好的电子资料", "Send accessible electronic materials in advance"),
    Need("audio_description", "口述影像", "Audio description",
         "安排口述影像员", "Book an audio describer"),
    Need("guide_dog", "携带导盲犬", "Bringing a guide dog",
         "确认场地允许导盲犬进入", "Make sure guide dogs are admitted", venue_feature="guide_dog_ok"),
    Need("sighted_guide", "志愿者引导", "Sighted guide",
         "安排志愿者引导", "Assign a sighted-guide volunteer", volunteer_skill="sighted_guide"),
    Need("mobility_assist", "行动协助", "Mobility assistance",
         "安排行动协助志愿者", "Assign a mobility-assistance volunteer", volunteer_skill="mobility_assist"),
    Need("transport", "无障碍接送", "Accessible transport",
         "安排无障碍接送车位", "Book a seat in accessible transport", includes_companions=True),
    Need("quiet_room", "安静休息空间", "Quiet room",
         "准备安静休息空间", "Set up a quiet room", venue_feature="quiet_room"),
    Need("easy_read", "易读版资料", "Easy-read materials",
         "准备易读版资料", "Prepare easy-read materials"),
    Need("dietary", "饮食需求", "Dietary needs",
         "查看备注中的饮食需求", "Read the dietary needs in the notes", free_text=True),
    Need("medical", "用药、设备充电、休息", "Medication, charging equipment, rest",
         "查看备注中的用药、充电或休息需求", "Read the medical needs in the notes", free_text=True),
]

NEEDS_BY_CODE = {need.code: need for need in NEEDS}
NEED_CODES = tuple(NEEDS_BY_CODE)

VENUE_FEATURES = [
    Feature("step_free", "无障碍通道（无台阶）", "Step-free access"),
    Feature("elevator", "无障碍电梯", "Lift"),
    Feature("accessible_toilet", "无障碍卫生间", "Accessible toilet"),
    Feature("hearing_loop", "助听环路", "Hearing loop"),
    Feature("tactile_paving", "盲道", "Tactile paving"),
    Feature("accessible_parking", "无障碍停车位", "Accessible parking"),
    Feature("quiet_room", "安静休息室", "Quiet room"),
    Feature("guide_dog_ok", "允许导盲犬", "Guide dogs welcome"),
]
VENUE_FEATURES_BY_CODE = {f.code: f for f in VENUE_FEATURES}
VENUE_FEATURE_CODES = tuple(VENUE_FEATURES_BY_CODE)

VOLUNTEER_SKILLS = [
    Feature("sign_language", "手语", "Sign language"),
    Feature("sighted_guide", "视障引导", "Sighted guide"),
    Feature("mobility_assist", "行动协助", "Mobility assistance"),
    Feature("first_aid", "急救", "First aid"),
    Feature("legal_aid", "法律援助", "Legal aid"),
    Feature("psych_support", "心理支持", "Psychological support"),
    Feature("easy_read", "易读写作", "Easy-read writing"),
    Feature("driving", "驾驶", "Driving"),
    Feature("general", "综合服务", "General help"),
]
VOLUNTEER_SKILLS_BY_CODE = {s.code: s for s in VOLUNTEER_SKILLS}
VOLUNTEER_SKILL_CODES = tuple(VOLUNTEER_SKILLS_BY_CODE)

# Contact preference for residents who cannot take phone calls (e.g. deaf residents).
CONTACT_TEXT_ONLY = "text_only"


def need_label(code):
    need = NEEDS_BY_CODE.get(code)
    return need.label if need else code


def feature_label(code):
    feature = VENUE_FEATURES_BY_CODE.get(code)
    return feature.label if feature else code


def skill_label(code):
    skill = VOLUNTEER_SKILLS_BY_CODE.get(code)
    return skill.label if skill else code


def clean_need_codes(codes):
    """Known codes only, in taxonomy order, without duplicates."""
    wanted = set(codes or ())
    return [code for code in NEED_CODES if code in wanted]


def need_choices():
    return [SelectChoice(need.code, need.label) for need in NEEDS]


def feature_choices():
    return [SelectChoice(f.code, f.label) for f in VENUE_FEATURES]


def skill_choices():
    return [SelectChoice(s.code, s.label) for s in VOLUNTEER_SKILLS]


def missing_venue_features(need_codes, venue_features):
    """Needs whose implied venue feature the venue lacks: (need, feature code)."""
    have = set(venue_features or ())
    return [
        (NEEDS_BY_CODE[code], NEEDS_BY_CODE[code].venue_feature)
        for code in clean_need_codes(need_codes)
        if NEEDS_BY_CODE[code].venue_feature and NEEDS_BY_CODE[code].venue_feature not in have
    ]


def skill_for_need(code):
    need = NEEDS_BY_CODE.get(code)
    return need.volunteer_skill if need else None
