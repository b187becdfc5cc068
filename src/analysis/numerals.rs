//! Chinese numerals, as documents number their articles, chapters, orders and dates.

/// Chinese numerals and digits as they appear in 第X条 / 第X章.
pub fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二三四五六七八九十百千两".contains(c)
}

/// 八十四 → 84, 一百零六 → 106, 二〇二 → 202.
pub fn chinese_number(text: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c || (c == '零' && d == '〇'))
    };
    let (mut total, mut pending) = (0u32, None::<u32>);
    let mut units = false;
    for c in text.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                let d = digit(c)? as u32;
                // Digit by digit (二〇二) when no unit comes between.
                pending = Some(if units {
                    d
                } else {
                    pending.unwrap_or(0).checked_mul(10)?.checked_add(d)?
                });
                continue;
            }
        };
        units = true;
        // 十二: a ten without a digit before it is one ten.
        total = total.checked_add(pending.take().unwrap_or(1).checked_mul(unit)?)?;
    }
    total.checked_add(pending.unwrap_or(0))
}

/// 46 → 四十六, 10 → 十, 105 → 一百零五, 1254 → 一千二百五十四: as documents number articles;
/// None from 10,000 on, which no article, chapter or item reaches.
pub fn to_chinese(n: u32) -> Option<String> {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 || n >= 10_000 {
        return (n == 0).then(|| "零".to_string());
    }
    let mut out = String::new();
    let mut zero = false;
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = n / unit % 10;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十二, not 一十二, at the start.
        if !(d == 1 && unit == 10 && out.is_empty()) {
            out.push(DIGITS[d as usize]);
        }
        out.push_str(name);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_with_units_and_digit_by_digit() {
        assert_eq!(chinese_number("一百零六"), Some(106));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二〇二"), Some(202));
        assert_eq!(chinese_number("一千二百五十四"), Some(1254));
        assert_eq!(chinese_number("条"), None);
    }

    #[test]
    fn numbers_written_as_articles_are_numbered() {
        for (n, text) in [
            (1, "一"),
            (10, "十"),
            (12, "十二"),
            (46, "四十六"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1010, "一千零一十"),
            (1254, "一千二百五十四"),
        ] {
            assert_eq!(to_chinese(n).as_deref(), Some(text));
        }
        assert_eq!(to_chinese(10_000), None);
        for n in 1..10_000 {
            assert_eq!(chinese_number(&to_chinese(n).unwrap()), Some(n), "{n}");
        }
    }
}
