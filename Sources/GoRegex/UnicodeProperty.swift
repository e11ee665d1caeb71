import Synchronization

/// A Unicode class Go's regexp names with `\p`: `Any`, a general category (`L`, `Lu`, …) or a
/// script (`Greek`, `Han`, …); the names are exactly Go's (`unicode.Categories`, `unicode.Scripts`).
enum UnicodeProperty: Sendable, Hashable {
    case any
    case categories(Set<Unicode.GeneralCategory>)
    case script(String)

    init?(goName name: String) {
        if name == "Any" {
            self = .any
        } else if let categories = Self.categories[name] {
            self = .categories(categories)
        } else if Self.scripts.contains(name) {
            self = .script(name)
        } else {
            return nil
        }
    }

    func contains(_ s: Unicode.Scalar) -> Bool {
        switch self {
        case .any: return true
        case .categories(let set): return set.contains(s.properties.generalCategory)
        case .script(let name): return ScriptLookup.contains(s, script: name)
        }
    }

    private static let categories: [String: Set<Unicode.GeneralCategory>] = {
        let single: [String: Unicode.GeneralCategory] = [
            "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter,
            "Lo": .otherLetter, "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
            "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber, "Pc": .connectorPunctuation,
            "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation, "Pi": .initialPunctuation,
            "Pf": .finalPunctuation, "Po": .otherPunctuation, "Sm": .mathSymbol, "Sc": .currencySymbol,
            "Sk": .modifierSymbol, "So": .otherSymbol, "Zs": .spaceSeparator, "Zl": .lineSeparator,
            "Zp": .paragraphSeparator, "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse,
        ]
        var table = single.mapValues { Set([$0]) }
        // Go's one-letter categories; its "C" has no unassigned code points (no Cn).
        for major in ["L", "M", "N", "P", "S", "Z", "C"] {
            table[major] = Set(single.filter { $0.key.hasPrefix(major) }.values)
        }
        return table
    }()

    /// Go's `unicode.Scripts` (Unicode 15).
    static let scripts: Set<String> = [
        "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum", "Bassa_Vah",
        "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid", "Canadian_Aboriginal",
        "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform",
        "Cypriot", "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
        "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha",
        "Greek", "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran",
        "Hebrew", "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian",
        "Javanese", "Kaithi", "Kannada", "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer",
        "Khojki", "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian",
        "Mahajani", "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin",
        "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian",
        "Mro", "Multani", "Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu",
        "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic", "Old_North_Arabian",
        "Old_Permic", "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya", "Osage",
        "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang",
        "Runic", "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian",
        "Sora_Sompeng", "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham",
        "Tai_Viet", "Takri", "Tamil", "Tangsa", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta",
        "Toto", "Ugaritic", "Vai", "Vithkuqi", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
    ]

    /// Perl classes (`\d`, `\s`, `\w`): ASCII only, as in Go.
    static let perlClasses: [Character: [ClosedRange<UInt32>]] = [
        "d": [0x30...0x39],
        "s": [0x09...0x0A, 0x0C...0x0D, 0x20...0x20],
        "w": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
    ]

    /// POSIX classes (`[:alpha:]`): ASCII only, as in Go.
    static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
        "alpha": [0x41...0x5A, 0x61...0x7A],
        "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20],
        "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": [0x30...0x39],
        "graph": [0x21...0x7E],
        "lower": [0x61...0x7A],
        "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20],
        "upper": [0x41...0x5A],
        "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
        "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
    ]
}

/// Script membership. The standard library has no script property, Swift's `Regex` does (`\p{Script=…}`):
/// one compiled class per script, used under a lock since `Regex` is not `Sendable`; answers are memoised.
enum ScriptLookup {
    private struct State {
        var regexes: [String: Regex<AnyRegexOutput>] = [:]
        var answers: [String: [UInt32: Bool]] = [:]
    }

    private static let state = Mutex(State())

    static func contains(_ s: Unicode.Scalar, script: String) -> Bool {
        state.withLock { state in
            if let known = state.answers[script]?[s.value] { return known }
            let regex: Regex<AnyRegexOutput>
            if let cached = state.regexes[script] {
                regex = cached
            } else if let compiled = try? Regex("\\p{Script=\(script)}") {
                regex = compiled
                state.regexes[script] = compiled
            } else {
                return false
            }
            let answer = String(Character(s)).wholeMatch(of: regex) != nil
            if state.answers[script, default: [:]].count > 65_536 { state.answers[script] = [:] }
            state.answers[script, default: [:]][s.value] = answer
            return answer
        }
    }
}
