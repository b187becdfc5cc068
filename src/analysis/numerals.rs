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
}
