"""Daily demo feeds up to yesterday: cyber threats since the IOC started (thousands a month
now, about a million handled in all) and press and social-media mentions by platform, topic
and sentiment (a small negative share). Vectorised: one numpy draw per feed, then COPY."""

from __future__ import annotations

from datetime import date

import numpy as np

from demo.common import copy_text
from demo.seasons import IOC_START, daily_factors, day_range, period_start

AGENCIES = {"Văn phòng UBND tỉnh": 2.0, "Sở Thông tin và Truyền thông": 3.0, "Công an tỉnh": 2.5}
THREATS = {"malware": 0.35, "phishing": 0.25, "intrusion": 0.2, "ddos": 0.1, "defacement": 0.1}
# threats a month province-wide: many in the first years (mass malware before the systems were
# hardened), then settling at about 9,000 a month
THREATS_NOW, THREATS_EXTRA_AT_START, THREATS_DECAY_MONTHS = 9_000, 23_000, 22.0


def load_cyber(rng: np.random.Generator, districts, today: date) -> int:
    """Threats detected and handled per day, agency (or district people's committee) and kind,
    from IOC_START; a campaign against Bù Đăng in the last 7 days."""
    days = day_range(IOC_START, today)
    months = (days - np.datetime64(IOC_START)).astype(np.int64) / 30.44
    per_day = (THREATS_NOW + THREATS_EXTRA_AT_START * np.exp(-months / THREATS_DECAY_MONTHS)) / 30.44
    per_day = per_day * daily_factors(days, weekend=0.75) / (5 / 7 + 2 / 7 * 0.75)
    dx = next(d.id for d in districts if d.code == "689")
    units = [(d.id, f"UBND {d.kind.lower()} {d.name}", 1.0) for d in districts]
    units += [(dx, a, w) for a, w in AGENCIES.items()]
    weight = np.array([w for *_x, w in units])
    share = np.array(list(THREATS.values()))
    lam = per_day[:, None, None] * (weight / weight.sum())[None, :, None] * share[None, None, :]
    spike = next(i for i, u in enumerate(units) if u[1].endswith("Bù Đăng"))
    lam[-7:, spike, :] *= 2.2
    det = rng.poisson(lam)
    unhandled_p = np.where(months < 18, 0.02, 0.006)[:, None, None]  # handling got better
    handled = det - rng.binomial(det, np.broadcast_to(unhandled_p, det.shape))
    names = list(THREATS)
    lines = [f"{days[i]}\t{units[u][0]}\t{units[u][1]}\t{names[t]}\t{det[i, u, t]}\t{handled[i, u, t]}"
             for i, u, t in np.ndindex(det.shape)]
    return copy_text("layers_cyberdaily", ["day", "district_id", "agency", "threat", "detected", "handled"], lines)


# mentions a day of an average district by platform ("news": online press), growth a year
SOURCES = {"facebook": (8.5, 0.15), "news": (4.0, 0.03), "youtube": (2.0, 0.25), "forum": (1.3, -0.05)}
# topic: (share of mentions, negative share, positive share)
TOPICS = {"dat_dai": (0.17, 0.14, 0.15), "giao_thong": (0.16, 0.09, 0.2), "y_te": (0.12, 0.05, 0.3),
          "giao_duc": (0.14, 0.03, 0.4), "moi_truong": (0.10, 0.12, 0.2), "dau_tu": (0.18, 0.02, 0.45),
          "an_ninh": (0.13, 0.08, 0.2)}
DISTRICT_WEIGHT = {"689": 1.6, "699": 1.2, "697": 1.0, "691": 1.0, "692": 0.9, "696": 0.9, "700": 0.9,
                   "694": 0.9, "698": 0.9, "693": 0.8, "695": 0.7}


def load_media(rng: np.random.Generator, districts, end: date, today: date) -> int:
    """Mentions per day, district, platform, topic and sentiment; a few past stories, and a
    negative environmental story in Đồng Phú in the last 7 days."""
    days = day_range(period_start(end), today)
    nd, nu, ns = len(days), len(districts), len(SOURCES)
    lam = np.empty((nd, nu, ns))
    for s, (base, growth) in enumerate(SOURCES.values()):
        f = daily_factors(days, weekend=0.6 if s == 1 else 1.1, tet=0.7, tet_window=(-2, 5), growth=growth)
        lam[:, :, s] = base * f[:, None] * np.array([DISTRICT_WEIGHT.get(d.code, 1.0) for d in districts])[None, :]
    for _ in range(10):  # past stories: a district's mentions of one topic jump for a few days
        d0, u = int(rng.integers(0, nd - 21)), int(rng.integers(0, nu))  # none in the last weeks
        lam[d0:d0 + int(rng.integers(3, 7)), u, :] *= 2.5
    n = rng.poisson(lam)
    topic_share = np.array([t[0] for t in TOPICS.values()])
    by_topic = rng.multinomial(n, topic_share)  # (nd, nu, ns, nt)
    neg_p = np.array([t[1] for t in TOPICS.values()])
    pos_p = np.array([t[2] for t in TOPICS.values()])
    neg = rng.binomial(by_topic, np.broadcast_to(neg_p, by_topic.shape))
    pos = rng.binomial(by_topic - neg, np.broadcast_to(pos_p / (1 - neg_p), by_topic.shape))
    neu = by_topic - neg - pos
    story = next(i for i, d in enumerate(districts) if d.code == "697")  # Đồng Phú
    t_env = list(TOPICS).index("moi_truong")
    neg[-7:, story, :2, t_env] += rng.poisson([3.5, 1.5], (7, 2))
    lines = []
    srcs, topics = list(SOURCES), list(TOPICS)
    for sentiment, arr in (("positive", pos), ("neutral", neu), ("negative", neg)):
        for i, u, s, t in zip(*np.nonzero(arr), strict=True):
            lines.append(f"{days[i]}\t{districts[u].id}\t{srcs[s]}\t{topics[t]}\t{sentiment}\t{arr[i, u, s, t]}")
    return copy_text("layers_mediadaily", ["day", "district_id", "source", "topic", "sentiment", "mentions"], lines)
