"""Chinese numerals as documents write their numbering: 一, 十二, 一百零五 (一是, （十二）, 四、)."""

from __future__ import annotations

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as used in 一是 and （一）)."""
    if n <= 0:
        raise ValueError(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n >= 1000:
        return str(n)
    rest = n % 100
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + _CN_DIGITS[rest]  # 一百零五
    elif rest < 20:
        tail = "一" + cn_number(rest)  # 一百一十六
    else:
        tail = cn_number(rest)
    return _CN_DIGITS[n // 100] + "百" + tail
