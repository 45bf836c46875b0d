//! Believable Indian demo data for `sambandh demo --contacts N`.
//!
//! The demo business has three branches: Chennai (Tamil Nadu), Ahmedabad
//! (Gujarat) and Lucknow (Uttar Pradesh). Each contact is produced as the raw
//! strings a user would type into the CRM:
//!
//! * names in the branch's script (Tamil, Gujarati, Devanagari) together with
//!   the Latin spelling the person actually uses — Tamil initials
//!   ("R. Karthik"), Gujarati "-bhai"/"-ben" ("Rameshbhai Patel"), and plain
//!   given-plus-family names in Lucknow, where a share of the names are Urdu
//!   in origin;
//! * the honorific that fits the gender, age and naming culture
//!   (Thiru/Tmt./Selvi, Shri/Smt./Kumari, sometimes Dr. or Mr./Mrs./Ms.);
//! * mobile numbers from real operator series of each city, typed in the
//!   usual mix of formats, unique per contact;
//! * street addresses from real localities with their real PIN codes;
//! * birthdays (sometimes without a year, sometimes missing), e-mail
//!   addresses, tags, value tiers and lead sources.
//!
//! Companies get a Latin legal name, the same name in the branch's script
//! and a GSTIN whose PAN part and mod-36 check character are valid.
//!
//! Everything is deterministic: the output depends only on `(n, seed)`, and
//! record `i` does not depend on `n`, so a larger demo extends a smaller one.

use fastrand::Rng;

/// The year ages are measured against. Fixed, so that output never depends
/// on the clock.
const REFERENCE_YEAR: u32 = 2025;
/// Women at least this old are addressed as married (Tmt./Smt./Mrs.),
/// younger ones as unmarried (Selvi/Kumari/Ms.).
const MARRIED_FROM_AGE: u32 = 26;
/// Youngest age at which someone may be a doctor.
const DOCTOR_FROM_AGE: u32 = 28;
/// Birth years of demo people.
const BIRTH_YEARS: (u32, u32) = (1950, 2004);
/// Founding years of demo companies.
const FOUNDING_YEARS: (u32, u32) = (1950, 2020);
/// One company for about this many people.
const PEOPLE_PER_COMPANY: usize = 20;

/// Salts that give people, companies and phone numbers independent random
/// streams from the same user seed.
const PEOPLE_SALT: u64 = 0x0000_7065_6f70_6c65;
const COMPANY_SALT: u64 = 0x0063_6f6d_7061_6e79;
const PHONE_SALT: u64 = 0x0000_0070_686f_6e65;

// ---------------------------------------------------------------------------
// Branches
// ---------------------------------------------------------------------------

/// One of the three demo branches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoBranch {
    Chennai,
    Ahmedabad,
    Lucknow,
}

impl DemoBranch {
    /// All branches, in the order people and companies are dealt to them.
    pub const ALL: [DemoBranch; 3] = [DemoBranch::Chennai, DemoBranch::Ahmedabad, DemoBranch::Lucknow];

    /// Display name of the branch.
    pub fn name(self) -> &'static str {
        match self {
            DemoBranch::Chennai => "Chennai",
            DemoBranch::Ahmedabad => "Ahmedabad",
            DemoBranch::Lucknow => "Lucknow",
        }
    }

    /// City the branch is in (the same as its name).
    pub fn city(self) -> &'static str {
        self.name()
    }

    /// ISO 3166-2 code of the branch's state.
    pub fn region(self) -> &'static str {
        match self {
            DemoBranch::Chennai => "IN-TN",
            DemoBranch::Ahmedabad => "IN-GJ",
            DemoBranch::Lucknow => "IN-UP",
        }
    }

    /// IANA time zone of the branch.
    pub fn time_zone(self) -> &'static str {
        "Asia/Kolkata"
    }

    /// BCP 47 language code of the branch's main language.
    pub fn language(self) -> &'static str {
        match self {
            DemoBranch::Chennai => "ta",
            DemoBranch::Ahmedabad => "gu",
            DemoBranch::Lucknow => "hi",
        }
    }

    /// Two-digit GST state code: Tamil Nadu 33, Gujarat 24, Uttar Pradesh 09.
    fn gst_state_code(self) -> &'static str {
        match self {
            DemoBranch::Chennai => "33",
            DemoBranch::Ahmedabad => "24",
            DemoBranch::Lucknow => "09",
        }
    }

    /// Index into the per-script `[Tamil, Gujarati, Devanagari]` arrays.
    fn slot(self) -> usize {
        match self {
            DemoBranch::Chennai => 0,
            DemoBranch::Ahmedabad => 1,
            DemoBranch::Lucknow => 2,
        }
    }

    fn data(self) -> &'static Region {
        match self {
            DemoBranch::Chennai => &CHENNAI,
            DemoBranch::Ahmedabad => &AHMEDABAD,
            DemoBranch::Lucknow => &LUCKNOW,
        }
    }
}

// ---------------------------------------------------------------------------
// Public records
// ---------------------------------------------------------------------------

/// A demo person as raw strings, exactly as a user would type them into the CRM.
#[derive(Debug, Clone)]
pub struct DemoPerson {
    /// `DEMO-{index:06}`.
    pub external_id: String,
    pub branch: DemoBranch,
    /// Latin canonical honorific: Thiru, Tmt., Selvi, Shri, Smt., Kumari,
    /// Dr., Mr., Mrs. or Ms.
    pub honorific: String,
    /// Given name in the branch's script.
    pub given_name: String,
    /// Family name in the branch's script; usually `None` for Tamil people.
    pub family_name: Option<String>,
    /// Tamil father's initial(s) in Latin, e.g. `"R."` or `"K. R."`.
    pub father_name: Option<String>,
    /// Full name in Latin script as the person writes it.
    pub name_latin: String,
    /// `"male"` or `"female"`.
    pub gender: &'static str,
    /// `"ta"`, `"gu"`, `"hi"` or `"en"`.
    pub language: &'static str,
    /// `"YYYY-MM-DD"`, or `"--MM-DD"` when the year is unknown.
    pub birthday: Option<String>,
    /// Lowercase ASCII, unique per person.
    pub email: Option<String>,
    /// Indian mobile number in one of the ways people type it; unique per person.
    pub phone: String,
    /// Street address in the branch's script or in English.
    pub address_line: String,
    pub city: &'static str,
    /// Six-digit PIN code of the address's locality.
    pub pin_code: String,
    pub tags: Vec<&'static str>,
    /// `"platinum"`, `"gold"`, `"silver"`, `"bronze"` or `None`.
    pub value_tier: Option<&'static str>,
    /// `"walk-in"`, `"referral"`, `"website"`, `"trade-fair"` or `"phone"`.
    pub source: &'static str,
}

/// A demo company with a valid GSTIN.
#[derive(Debug, Clone)]
pub struct DemoCompany {
    pub branch: DemoBranch,
    /// Legal name in Latin script, e.g. `"Sri Murugan Textiles Pvt. Ltd."`.
    pub legal_name: String,
    /// The same name in the branch's script.
    pub native_name: String,
    /// 15-character GSTIN with a correct check character.
    pub gstin: String,
    pub industry: &'static str,
    /// `"YYYY-MM-DD"`.
    pub founded_on: String,
}

// ---------------------------------------------------------------------------
// Public functions
// ---------------------------------------------------------------------------

/// `n` demo people for `seed`. Person `i` goes to branch `ALL[i % 3]`, has
/// external id `DEMO-{i:06}` and does not depend on `n`.
///
/// Phone numbers are unique for up to about 2.4 million people.
pub fn demo_people(n: usize, seed: u64) -> Vec<DemoPerson> {
    (0..n).map(|index| person(index, seed)).collect()
}

/// Demo companies for a demo of `n` people: one per 20 people, at least 3
/// (one per branch). Company `i` goes to branch `ALL[i % 3]` and does not
/// depend on `n`. Legal names are unique; GSTINs are unique for up to 9,999
/// companies.
pub fn demo_companies(n: usize, seed: u64) -> Vec<DemoCompany> {
    let count = (n / PEOPLE_PER_COMPANY).max(DemoBranch::ALL.len());
    (0..count).map(|index| company(index, seed)).collect()
}

/// The GSTIN check character (the 15th) for the first 14 characters.
///
/// Characters `0-9A-Z` count as 0..=35; position `i` (from 0) is weighted 1
/// when even and 2 when odd; each product adds `product / 36 + product % 36`;
/// the check value is `(36 - sum % 36) % 36`. Only the first 14 characters
/// are read, so a whole GSTIN may be passed in. Returns `None` when there are
/// fewer than 14 characters or one of them is not an ASCII digit or
/// uppercase letter.
pub fn gstin_check_char(first14: &str) -> Option<char> {
    let mut sum = 0;
    let mut count = 0;
    for (position, c) in first14.chars().take(14).enumerate() {
        if !(c.is_ascii_digit() || c.is_ascii_uppercase()) {
            return None;
        }
        let value = c.to_digit(36)?;
        let product = value * if position % 2 == 0 { 1 } else { 2 };
        sum += product / 36 + product % 36;
        count += 1;
    }
    if count < 14 {
        return None;
    }
    char::from_digit((36 - sum % 36) % 36, 36).map(|c| c.to_ascii_uppercase())
}

// ---------------------------------------------------------------------------
// Reference data
// ---------------------------------------------------------------------------

/// A word as `(native script, Latin)`.
type Pair = (&'static str, &'static str);

/// Which honorifics a naming culture uses.
#[derive(Debug, Clone, Copy)]
enum HonorificStyle {
    /// Thiru / Tmt. / Selvi.
    Tamil,
    /// Shri / Smt. / Kumari.
    Indic,
    /// Mr. / Mrs. / Ms.
    English,
}

/// How a branch writes full names in Latin script.
#[derive(Debug, Clone, Copy)]
enum NameStyle {
    /// Father's initial before (or after) the given name; sometimes the
    /// father's name as a surname.
    Tamil,
    /// Given name with optional "bhai"/"ben", then the family name.
    Gujarati,
    /// Given name, then family name.
    Plain,
}

/// Given and family names of one naming culture.
struct NamePool {
    male: &'static [Pair],
    female: &'static [Pair],
    family: &'static [Pair],
    honorifics: HonorificStyle,
}

/// A locality with its PIN code and some of its streets.
struct Locality {
    name: Pair,
    pin: u32,
    streets: &'static [Pair],
}

/// Everything that differs between branches.
struct Region {
    /// Naming cultures with their weights.
    pools: &'static [(NamePool, u32)],
    name_style: NameStyle,
    localities: &'static [Locality],
    /// First five digits of mobile numbers common in the city.
    mobile_series: &'static [&'static str],
    /// Housing societies and apartment blocks, used in addresses.
    societies: &'static [Pair],
    /// First words of company names.
    brands: &'static [Pair],
}

/// An industry with the word it contributes to company names, in Latin and
/// in `[Tamil, Gujarati, Devanagari]`.
struct Industry {
    industry: &'static str,
    word: &'static str,
    native: [&'static str; 3],
}

/// A legal form: Latin suffix, native suffixes, PAN entity-type letter and weight.
struct LegalForm {
    suffix: &'static str,
    native: [&'static str; 3],
    pan_type: char,
    weight: u32,
}

// --- Chennai ---------------------------------------------------------------

const TAMIL_MALE: &[Pair] = &[
    ("கார்த்திக்", "Karthik"),
    ("முருகன்", "Murugan"),
    ("செந்தில்", "Senthil"),
    ("ராஜா", "Raja"),
    ("சரவணன்", "Saravanan"),
    ("வேலு", "Velu"),
    ("அருண்", "Arun"),
    ("பாலாஜி", "Balaji"),
    ("விஜய்", "Vijay"),
    ("சுரேஷ்", "Suresh"),
    ("ரமேஷ்", "Ramesh"),
    ("கணேஷ்", "Ganesh"),
    ("பிரகாஷ்", "Prakash"),
    ("மணிகண்டன்", "Manikandan"),
    ("வெங்கடேஷ்", "Venkatesh"),
    ("அன்பழகன்", "Anbazhagan"),
    ("இளங்கோ", "Elango"),
    ("கோபால்", "Gopal"),
    ("ஆனந்த்", "Anand"),
    ("பாண்டியன்", "Pandian"),
    ("ஸ்ரீதர்", "Sridhar"),
    ("தினேஷ்", "Dinesh"),
    ("கண்ணன்", "Kannan"),
    ("சிவா", "Siva"),
    ("ரவி", "Ravi"),
    ("அசோக்", "Ashok"),
];

const TAMIL_FEMALE: &[Pair] = &[
    ("லட்சுமி", "Lakshmi"),
    ("பிரியா", "Priya"),
    ("மீனாட்சி", "Meenakshi"),
    ("கவிதா", "Kavitha"),
    ("தேவி", "Devi"),
    ("சரஸ்வதி", "Saraswathi"),
    ("வள்ளி", "Valli"),
    ("அனிதா", "Anitha"),
    ("கீதா", "Geetha"),
    ("சுமதி", "Sumathi"),
    ("பவானி", "Bhavani"),
    ("ரேவதி", "Revathi"),
    ("கலைவாணி", "Kalaivani"),
    ("ஜெயந்தி", "Jayanthi"),
    ("திவ்யா", "Divya"),
    ("நந்தினி", "Nandhini"),
    ("யமுனா", "Yamuna"),
    ("கல்பனா", "Kalpana"),
    ("மாலதி", "Malathi"),
    ("வசந்தா", "Vasantha"),
    ("இந்திரா", "Indira"),
    ("உமா", "Uma"),
    ("சித்ரா", "Chitra"),
    ("ராதா", "Radha"),
    ("பூங்கொடி", "Poongodi"),
];

/// Tamil "family names" are fathers' names: used as initials, or written
/// out as a surname.
const TAMIL_FAMILY: &[Pair] = &[
    ("ராமசாமி", "Ramasamy"),
    ("சுப்பிரமணியன்", "Subramanian"),
    ("கிருஷ்ணன்", "Krishnan"),
    ("நடராஜன்", "Natarajan"),
    ("வெங்கடேசன்", "Venkatesan"),
    ("ராஜேந்திரன்", "Rajendran"),
    ("பழனிசாமி", "Palanisamy"),
    ("சுந்தரம்", "Sundaram"),
    ("ஸ்ரீநிவாசன்", "Srinivasan"),
    ("ஆறுமுகம்", "Arumugam"),
    ("கந்தசாமி", "Kandasamy"),
    ("ரங்கநாதன்", "Ranganathan"),
    ("சண்முகம்", "Shanmugam"),
    ("பாலசுப்பிரமணியன்", "Balasubramanian"),
    ("கோவிந்தராஜன்", "Govindarajan"),
    ("செல்வராஜ்", "Selvaraj"),
    ("ராமலிங்கம்", "Ramalingam"),
    ("துரைசாமி", "Duraisamy"),
];

const CHENNAI_LOCALITIES: &[Locality] = &[
    Locality {
        name: ("தி. நகர்", "T. Nagar"),
        pin: 600_017,
        streets: &[("உஸ்மான் சாலை", "Usman Road"), ("ரங்கநாதன் தெரு", "Ranganathan Street")],
    },
    Locality {
        name: ("மயிலாப்பூர்", "Mylapore"),
        pin: 600_004,
        streets: &[("லஸ் சர்ச் சாலை", "Luz Church Road"), ("கச்சேரி சாலை", "Kutchery Road")],
    },
    Locality {
        name: ("அடையாறு", "Adyar"),
        pin: 600_020,
        streets: &[
            ("லட்டிஸ் பிரிட்ஜ் சாலை", "Lattice Bridge Road"),
            ("காந்தி நகர் முதல் பிரதான சாலை", "Gandhi Nagar 1st Main Road"),
        ],
    },
    Locality {
        name: ("அண்ணா நகர்", "Anna Nagar"),
        pin: 600_040,
        streets: &[("இரண்டாவது அவென்யூ", "2nd Avenue"), ("சாந்தி காலனி பிரதான சாலை", "Shanthi Colony Main Road")],
    },
    Locality {
        name: ("வேளச்சேரி", "Velachery"),
        pin: 600_042,
        streets: &[("வேளச்சேரி பிரதான சாலை", "Velachery Main Road")],
    },
    Locality {
        name: ("எழும்பூர்", "Egmore"),
        pin: 600_008,
        streets: &[("பாந்தியன் சாலை", "Pantheon Road"), ("காந்தி இர்வின் சாலை", "Gandhi Irwin Road")],
    },
    Locality {
        name: ("நுங்கம்பாக்கம்", "Nungambakkam"),
        pin: 600_034,
        streets: &[("ஸ்டெர்லிங் சாலை", "Sterling Road"), ("வள்ளுவர் கோட்டம் நெடுஞ்சாலை", "Valluvar Kottam High Road")],
    },
    Locality {
        name: ("திருவல்லிக்கேணி", "Triplicane"), pin: 600_005, streets: &[("பாரதி சாலை", "Bharathi Salai")]
    },
    Locality {
        name: ("ஜார்ஜ் டவுன்", "George Town"),
        pin: 600_001,
        streets: &[("கோடவுன் தெரு", "Godown Street"), ("என்.எஸ்.சி. போஸ் சாலை", "NSC Bose Road")],
    },
    Locality {
        name: ("பெசன்ட் நகர்", "Besant Nagar"),
        pin: 600_090,
        streets: &[("இரண்டாவது அவென்யூ", "2nd Avenue"), ("எலியட்ஸ் கடற்கரை சாலை", "Elliot's Beach Road")],
    },
    Locality {
        name: ("ராயப்பேட்டை", "Royapettah"), pin: 600_014, streets: &[("பீட்டர்ஸ் சாலை", "Peters Road")]
    },
    Locality {
        name: ("சைதாப்பேட்டை", "Saidapet"), pin: 600_015, streets: &[("ஜோன்ஸ் சாலை", "Jones Road")]
    },
    Locality {
        name: ("தாம்பரம்", "Tambaram"),
        pin: 600_045,
        streets: &[("ஜி.எஸ்.டி. சாலை", "GST Road"), ("முடிச்சூர் சாலை", "Mudichur Road")],
    },
    Locality {
        name: ("போரூர்", "Porur"), pin: 600_116, streets: &[("மவுண்ட் பூந்தமல்லி சாலை", "Mount Poonamallee Road")]
    },
    Locality {
        name: ("ஆழ்வார்பேட்டை", "Alwarpet"),
        pin: 600_018,
        streets: &[("டி.டி.கே. சாலை", "TTK Road"), ("சி.பி. ராமசாமி சாலை", "C.P. Ramaswamy Road")],
    },
    Locality {
        name: ("பெரம்பூர்", "Perambur"),
        pin: 600_011,
        streets: &[("பேப்பர் மில்ஸ் சாலை", "Paper Mills Road"), ("பெரம்பூர் நெடுஞ்சாலை", "Perambur High Road")],
    },
    Locality {
        name: ("மேற்கு மாம்பலம்", "West Mambalam"), pin: 600_033, streets: &[("ஸ்டேஷன் சாலை", "Station Road")]
    },
    Locality {
        name: ("வடபழனி", "Vadapalani"),
        pin: 600_026,
        streets: &[("ஆற்காடு சாலை", "Arcot Road"), ("100 அடி சாலை", "100 Feet Road")],
    },
    Locality {
        name: ("கே.கே. நகர்", "K.K. Nagar"),
        pin: 600_078,
        streets: &[("பி.டி. ராஜன் சாலை", "P.T. Rajan Salai"), ("முனுசாமி சாலை", "Munusamy Salai")],
    },
    Locality {
        name: ("சோழிங்கநல்லூர்", "Sholinganallur"),
        pin: 600_119,
        streets: &[("ராஜீவ் காந்தி சாலை", "Rajiv Gandhi Salai")],
    },
    Locality {
        name: ("புரசைவாக்கம்", "Purasawalkam"),
        pin: 600_007,
        streets: &[("புரசைவாக்கம் நெடுஞ்சாலை", "Purasawalkam High Road")],
    },
    Locality {
        name: ("கீழ்ப்பாக்கம்", "Kilpauk"), pin: 600_010, streets: &[("கீழ்ப்பாக்கம் கார்டன் சாலை", "Kilpauk Garden Road")]
    },
    Locality {
        name: ("அம்பத்தூர்", "Ambattur"), pin: 600_053, streets: &[("சி.டி.எச். சாலை", "CTH Road")]
    },
    Locality {
        name: ("குரோம்பேட்டை", "Chromepet"), pin: 600_044, streets: &[("ஜி.எஸ்.டி. சாலை", "GST Road")]
    },
];

const CHENNAI_SOCIETIES: &[Pair] = &[
    ("ஸ்ரீ சாய் அபார்ட்மெண்ட்ஸ்", "Sri Sai Apartments"),
    ("கங்கா அபார்ட்மெண்ட்ஸ்", "Ganga Apartments"),
    ("லட்சுமி நிலையம்", "Lakshmi Nilayam"),
];

const CHENNAI_BRANDS: &[Pair] = &[
    ("ஸ்ரீ முருகன்", "Sri Murugan"),
    ("ஸ்ரீ லட்சுமி", "Sri Lakshmi"),
    ("காவேரி", "Kaveri"),
    ("மெரினா", "Marina"),
    ("ஸ்ரீ பாலாஜி", "Sri Balaji"),
    ("அன்னபூர்ணா", "Annapoorna"),
    ("பாண்டியன்", "Pandian"),
    ("சோழா", "Chola"),
    ("வெற்றிவேல்", "Vetrivel"),
    ("திருமலை", "Thirumalai"),
    ("சரவணா", "Saravana"),
    ("மெட்ராஸ்", "Madras"),
    ("சங்கம்", "Sangam"),
    ("குறிஞ்சி", "Kurinji"),
    ("ஸ்ரீ வெங்கடேஸ்வரா", "Sri Venkateswara"),
    ("பொன்னி", "Ponni"),
];

static CHENNAI: Region = Region {
    pools: &[(
        NamePool { male: TAMIL_MALE, female: TAMIL_FEMALE, family: TAMIL_FAMILY, honorifics: HonorificStyle::Tamil },
        100,
    )],
    name_style: NameStyle::Tamil,
    localities: CHENNAI_LOCALITIES,
    mobile_series: &["98400", "98410", "94440", "94450", "99400", "97890", "90030", "73580", "63830"],
    societies: CHENNAI_SOCIETIES,
    brands: CHENNAI_BRANDS,
};

// --- Ahmedabad -------------------------------------------------------------

const GUJARATI_MALE: &[Pair] = &[
    ("રમેશ", "Ramesh"),
    ("સુરેશ", "Suresh"),
    ("મહેશ", "Mahesh"),
    ("દિનેશ", "Dinesh"),
    ("હિતેશ", "Hitesh"),
    ("ભરત", "Bharat"),
    ("નરેન્દ્ર", "Narendra"),
    ("પ્રકાશ", "Prakash"),
    ("અમિત", "Amit"),
    ("વિપુલ", "Vipul"),
    ("કમલેશ", "Kamlesh"),
    ("હાર્દિક", "Hardik"),
    ("પાર્થ", "Parth"),
    ("ચિરાગ", "Chirag"),
    ("નિલેશ", "Nilesh"),
    ("મનોજ", "Manoj"),
    ("રાકેશ", "Rakesh"),
    ("ધર્મેશ", "Dharmesh"),
    ("ભાવેશ", "Bhavesh"),
    ("જયેશ", "Jayesh"),
    ("અલ્પેશ", "Alpesh"),
    ("કેતન", "Ketan"),
    ("મિહિર", "Mihir"),
    ("સંજય", "Sanjay"),
];

const GUJARATI_FEMALE: &[Pair] = &[
    ("હેતલ", "Hetal"),
    ("કિંજલ", "Kinjal"),
    ("ભાવના", "Bhavna"),
    ("નીતા", "Nita"),
    ("પ્રીતિ", "Priti"),
    ("રીના", "Reena"),
    ("દીપિકા", "Deepika"),
    ("ફાલ્ગુની", "Falguni"),
    ("હંસા", "Hansa"),
    ("જાગૃતિ", "Jagruti"),
    ("મિત્તલ", "Mittal"),
    ("નેહા", "Neha"),
    ("પૂજા", "Pooja"),
    ("ઉર્વશી", "Urvashi"),
    ("કોકિલા", "Kokila"),
    ("શિલ્પા", "Shilpa"),
    ("સોનલ", "Sonal"),
    ("મીના", "Meena"),
    ("વર્ષા", "Varsha"),
    ("ચેતના", "Chetna"),
    ("દક્ષા", "Daksha"),
    ("ભૂમિ", "Bhumi"),
    ("અંજના", "Anjana"),
    ("ધારા", "Dhara"),
];

const GUJARATI_FAMILY: &[Pair] = &[
    ("પટેલ", "Patel"),
    ("શાહ", "Shah"),
    ("દેસાઈ", "Desai"),
    ("મહેતા", "Mehta"),
    ("જોશી", "Joshi"),
    ("ત્રિવેદી", "Trivedi"),
    ("પંડ્યા", "Pandya"),
    ("ભટ્ટ", "Bhatt"),
    ("પરીખ", "Parikh"),
    ("ચૌહાણ", "Chauhan"),
    ("સોની", "Soni"),
    ("ગાંધી", "Gandhi"),
    ("વ્યાસ", "Vyas"),
    ("દવે", "Dave"),
    ("ઠક્કર", "Thakkar"),
    ("રાવલ", "Raval"),
    ("પરમાર", "Parmar"),
    ("અમીન", "Amin"),
    ("ચોક્સી", "Choksi"),
];

const AHMEDABAD_LOCALITIES: &[Locality] = &[
    Locality {
        name: ("નવરંગપુરા", "Navrangpura"),
        pin: 380_009,
        streets: &[("સી.જી. રોડ", "C.G. Road"), ("સ્ટેડિયમ રોડ", "Stadium Road")],
    },
    Locality {
        name: ("એલિસબ્રિજ", "Ellisbridge"), pin: 380_006, streets: &[("આશ્રમ રોડ", "Ashram Road")]
    },
    Locality {
        name: ("પાલડી", "Paldi"), pin: 380_007, streets: &[("નારાયણ નગર રોડ", "Narayan Nagar Road")]
    },
    Locality {
        name: ("વાસણા", "Vasna"), pin: 380_007, streets: &[("વાસણા રોડ", "Vasna Road")]
    },
    Locality {
        name: ("મણિનગર", "Maninagar"),
        pin: 380_008,
        streets: &[("જવાહર ચોક", "Jawahar Chowk"), ("કાંકરિયા રોડ", "Kankaria Road")],
    },
    Locality {
        name: ("વસ્ત્રાપુર", "Vastrapur"), pin: 380_015, streets: &[("આઈઆઈએમ રોડ", "IIM Road")]
    },
    Locality {
        name: ("સેટેલાઇટ", "Satellite"),
        pin: 380_015,
        streets: &[("સેટેલાઇટ રોડ", "Satellite Road"), ("રામદેવ નગર રોડ", "Ramdev Nagar Road")],
    },
    Locality {
        name: ("જોધપુર", "Jodhpur"), pin: 380_015, streets: &[("જોધપુર ચાર રસ્તા", "Jodhpur Char Rasta")]
    },
    Locality {
        name: ("પ્રહલાદનગર", "Prahlad Nagar"), pin: 380_015, streets: &[("કોર્પોરેટ રોડ", "Corporate Road")]
    },
    Locality {
        name: ("બોડકદેવ", "Bodakdev"), pin: 380_054, streets: &[("જજીસ બંગલો રોડ", "Judges Bungalow Road")]
    },
    Locality {
        name: ("થલતેજ", "Thaltej"), pin: 380_059, streets: &[("એસ.જી. હાઇવે", "S.G. Highway")]
    },
    Locality {
        name: ("ઘાટલોડિયા", "Ghatlodia"), pin: 380_061, streets: &[("સોલા રોડ", "Sola Road")]
    },
    Locality {
        name: ("નારણપુરા", "Naranpura"), pin: 380_013, streets: &[("અંકુર રોડ", "Ankur Road")]
    },
    Locality {
        name: ("ઉસ્માનપુરા", "Usmanpura"), pin: 380_013, streets: &[("આશ્રમ રોડ", "Ashram Road")]
    },
    Locality {
        name: ("લાલ દરવાજા", "Lal Darwaja"),
        pin: 380_001,
        streets: &[("રિલીફ રોડ", "Relief Road"), ("માણેક ચોક", "Manek Chowk")],
    },
    Locality {
        name: ("શાહીબાગ", "Shahibaug"), pin: 380_004, streets: &[("શાહીબાગ રોડ", "Shahibaug Road")]
    },
    Locality {
        name: ("સાબરમતી", "Sabarmati"), pin: 380_005, streets: &[("ડી-કેબિન રોડ", "D-Cabin Road")]
    },
    Locality {
        name: ("મેમનગર", "Memnagar"), pin: 380_052, streets: &[("ડ્રાઇવ-ઇન રોડ", "Drive-In Road")]
    },
    Locality {
        name: ("બાપુનગર", "Bapunagar"), pin: 380_024, streets: &[("ઇન્ડિયા કોલોની રોડ", "India Colony Road")]
    },
    Locality {
        name: ("વેજલપુર", "Vejalpur"), pin: 380_051, streets: &[("વેજલપુર રોડ", "Vejalpur Road")]
    },
];

const AHMEDABAD_SOCIETIES: &[Pair] = &[
    ("શિવમ એપાર્ટમેન્ટ", "Shivam Apartment"),
    ("સહજાનંદ સોસાયટી", "Sahjanand Society"),
    ("સ્વસ્તિક સોસાયટી", "Swastik Society"),
    ("શાંતિ પાર્ક", "Shanti Park"),
    ("પાર્શ્વનાથ ફ્લેટ્સ", "Parshwanath Flats"),
    ("ગોકુલધામ સોસાયટી", "Gokuldham Society"),
    ("સુંદરમ એપાર્ટમેન્ટ્સ", "Sundaram Apartments"),
    ("પુષ્પક બંગલોઝ", "Pushpak Bungalows"),
];

const AHMEDABAD_BRANDS: &[Pair] = &[
    ("શાહ", "Shah"),
    ("પટેલ", "Patel"),
    ("સાબરમતી", "Sabarmati"),
    ("શ્રીજી", "Shreeji"),
    ("જય અંબે", "Jay Ambe"),
    ("નવકાર", "Navkar"),
    ("શ્રી કૃષ્ણ", "Shree Krishna"),
    ("અમદાવાદ", "Amdavad"),
    ("સહજાનંદ", "Sahjanand"),
    ("ઉમિયા", "Umiya"),
    ("મહાવીર", "Mahavir"),
    ("દેસાઈ", "Desai"),
    ("કાંકરિયા", "Kankaria"),
    ("પાર્શ્વ", "Parshwa"),
    ("નર્મદા", "Narmada"),
    ("સ્વસ્તિક", "Swastik"),
];

static AHMEDABAD: Region = Region {
    pools: &[(
        NamePool {
            male: GUJARATI_MALE,
            female: GUJARATI_FEMALE,
            family: GUJARATI_FAMILY,
            honorifics: HonorificStyle::Indic,
        },
        100,
    )],
    name_style: NameStyle::Gujarati,
    localities: AHMEDABAD_LOCALITIES,
    mobile_series: &["98250", "98240", "99250", "94260", "97240", "90990", "79900", "63510"],
    societies: AHMEDABAD_SOCIETIES,
    brands: AHMEDABAD_BRANDS,
};

// --- Lucknow ---------------------------------------------------------------

const HINDI_MALE: &[Pair] = &[
    ("राजेश", "Rajesh"),
    ("सुनील", "Sunil"),
    ("अनिल", "Anil"),
    ("राकेश", "Rakesh"),
    ("विनोद", "Vinod"),
    ("संजय", "Sanjay"),
    ("अमित", "Amit"),
    ("आलोक", "Alok"),
    ("मनोज", "Manoj"),
    ("दिनेश", "Dinesh"),
    ("आशीष", "Ashish"),
    ("विकास", "Vikas"),
    ("प्रदीप", "Pradeep"),
    ("अजय", "Ajay"),
    ("रवि", "Ravi"),
    ("सौरभ", "Saurabh"),
    ("अभिषेक", "Abhishek"),
    ("राहुल", "Rahul"),
    ("आदित्य", "Aditya"),
    ("अरविंद", "Arvind"),
    ("शैलेन्द्र", "Shailendra"),
    ("अनुराग", "Anurag"),
    ("पंकज", "Pankaj"),
    ("विवेक", "Vivek"),
];

const HINDI_FEMALE: &[Pair] = &[
    ("सुनीता", "Sunita"),
    ("अंजलि", "Anjali"),
    ("पूजा", "Pooja"),
    ("नेहा", "Neha"),
    ("प्रिया", "Priya"),
    ("रीता", "Rita"),
    ("मीना", "Meena"),
    ("कविता", "Kavita"),
    ("ममता", "Mamta"),
    ("रश्मि", "Rashmi"),
    ("सीमा", "Seema"),
    ("शालिनी", "Shalini"),
    ("गीता", "Geeta"),
    ("अर्चना", "Archana"),
    ("वंदना", "Vandana"),
    ("स्वाति", "Swati"),
    ("निधि", "Nidhi"),
    ("प्रीति", "Preeti"),
    ("ऋचा", "Richa"),
    ("शिखा", "Shikha"),
    ("दीपिका", "Deepika"),
    ("पल्लवी", "Pallavi"),
    ("साधना", "Sadhana"),
    ("उषा", "Usha"),
];

const HINDI_FAMILY: &[Pair] = &[
    ("शर्मा", "Sharma"),
    ("वर्मा", "Verma"),
    ("श्रीवास्तव", "Srivastava"),
    ("मिश्रा", "Mishra"),
    ("त्रिपाठी", "Tripathi"),
    ("पांडेय", "Pandey"),
    ("शुक्ला", "Shukla"),
    ("सिंह", "Singh"),
    ("यादव", "Yadav"),
    ("गुप्ता", "Gupta"),
    ("अग्रवाल", "Agarwal"),
    ("सक्सेना", "Saxena"),
    ("दीक्षित", "Dixit"),
    ("निगम", "Nigam"),
    ("तिवारी", "Tiwari"),
    ("बाजपेयी", "Bajpai"),
    ("रस्तोगी", "Rastogi"),
    ("मेहरोत्रा", "Mehrotra"),
    ("माथुर", "Mathur"),
    ("अवस्थी", "Awasthi"),
    ("चतुर्वेदी", "Chaturvedi"),
];

/// Urdu-origin names, written in Devanagari the way Hindi papers in
/// Lucknow print them.
const URDU_MALE: &[Pair] = &[
    ("इमरान", "Imran"),
    ("सलीम", "Salim"),
    ("नदीम", "Nadeem"),
    ("असलम", "Aslam"),
    ("जावेद", "Javed"),
    ("शाहिद", "Shahid"),
    ("आमिर", "Aamir"),
    ("अनवर", "Anwar"),
    ("तारिक", "Tariq"),
];

const URDU_FEMALE: &[Pair] = &[
    ("आयशा", "Ayesha"),
    ("शबाना", "Shabana"),
    ("नसरीन", "Nasreen"),
    ("रुबीना", "Rubina"),
    ("सलमा", "Salma"),
    ("यासमीन", "Yasmeen"),
    ("तबस्सुम", "Tabassum"),
    ("हिना", "Hina"),
    ("सना", "Sana"),
];

const URDU_FAMILY: &[Pair] = &[
    ("खान", "Khan"),
    ("सिद्दीकी", "Siddiqui"),
    ("अंसारी", "Ansari"),
    ("कुरैशी", "Qureshi"),
    ("अहमद", "Ahmad"),
    ("हुसैन", "Hussain"),
    ("अब्बासी", "Abbasi"),
    ("उस्मानी", "Usmani"),
];

const LUCKNOW_LOCALITIES: &[Locality] = &[
    Locality {
        name: ("हजरतगंज", "Hazratganj"),
        pin: 226_001,
        streets: &[("महात्मा गांधी मार्ग", "Mahatma Gandhi Marg"), ("अशोक मार्ग", "Ashok Marg")],
    },
    Locality {
        name: ("लालबाग", "Lalbagh"), pin: 226_001, streets: &[("लालबाग रोड", "Lalbagh Road")]
    },
    Locality {
        name: ("हुसैनगंज", "Husainganj"), pin: 226_001, streets: &[("विधान सभा मार्ग", "Vidhan Sabha Marg")]
    },
    Locality {
        name: ("अमीनाबाद", "Aminabad"),
        pin: 226_018,
        streets: &[("लाटूश रोड", "Latouche Road"), ("अमीनाबाद रोड", "Aminabad Road")],
    },
    Locality {
        name: ("चौक", "Chowk"),
        pin: 226_003,
        streets: &[("अकबरी गेट", "Akbari Gate"), ("सर्राफा बाजार", "Sarrafa Bazaar")],
    },
    Locality {
        name: ("ठाकुरगंज", "Thakurganj"), pin: 226_003, streets: &[("हरदोई रोड", "Hardoi Road")]
    },
    Locality {
        name: ("अलीगंज", "Aliganj"),
        pin: 226_024,
        streets: &[("सेक्टर बी", "Sector B"), ("सेक्टर क्यू", "Sector Q"), ("कपूरथला", "Kapoorthala")],
    },
    Locality {
        name: ("गोमती नगर", "Gomti Nagar"),
        pin: 226_010,
        streets: &[
            ("विनय खंड", "Vinay Khand"),
            ("विभूति खंड", "Vibhuti Khand"),
            ("विराम खंड", "Viram Khand"),
            ("विशाल खंड", "Vishal Khand"),
        ],
    },
    Locality {
        name: ("इंदिरा नगर", "Indira Nagar"),
        pin: 226_016,
        streets: &[("सेक्टर 14", "Sector 14"), ("मुंशी पुलिया", "Munshi Pulia")],
    },
    Locality {
        name: ("आलमबाग", "Alambagh"),
        pin: 226_005,
        streets: &[("कानपुर रोड", "Kanpur Road"), ("सिंगार नगर", "Singar Nagar")],
    },
    Locality {
        name: ("चारबाग", "Charbagh"), pin: 226_004, streets: &[("स्टेशन रोड", "Station Road")]
    },
    Locality {
        name: ("राजाजीपुरम", "Rajajipuram"),
        pin: 226_017,
        streets: &[("ई ब्लॉक", "E Block"), ("सी ब्लॉक", "C Block")],
    },
    Locality {
        name: ("विकास नगर", "Vikas Nagar"),
        pin: 226_022,
        streets: &[("सेक्टर 2", "Sector 2"), ("सेक्टर 5", "Sector 5")],
    },
    Locality {
        name: ("जानकीपुरम", "Jankipuram"),
        pin: 226_021,
        streets: &[("सेक्टर एच", "Sector H"), ("सेक्टर जी", "Sector G")],
    },
    Locality {
        name: ("आशियाना", "Aashiana"),
        pin: 226_012,
        streets: &[("सेक्टर एल", "Sector L"), ("सेक्टर के", "Sector K")],
    },
    Locality {
        name: ("चिनहट", "Chinhat"), pin: 226_028, streets: &[("फैजाबाद रोड", "Faizabad Road")]
    },
    Locality {
        name: ("तेलीबाग", "Telibagh"), pin: 226_029, streets: &[("रायबरेली रोड", "Raebareli Road")]
    },
];

const LUCKNOW_SOCIETIES: &[Pair] =
    &[("एल्डिको अपार्टमेंट", "Eldeco Apartment"), ("सहारा एन्क्लेव", "Sahara Enclave"), ("गोमती अपार्टमेंट", "Gomti Apartment")];

const LUCKNOW_BRANDS: &[Pair] = &[
    ("अवध", "Awadh"),
    ("नवाब", "Nawab"),
    ("गोमती", "Gomti"),
    ("शर्मा", "Sharma"),
    ("श्री राम", "Shri Ram"),
    ("गंगा", "Ganga"),
    ("लखनवी", "Lakhnavi"),
    ("अग्रवाल", "Agarwal"),
    ("कोहिनूर", "Kohinoor"),
    ("सरस्वती", "Saraswati"),
    ("नैमिष", "Naimish"),
    ("रूमी", "Rumi"),
    ("श्रीवास्तव", "Srivastava"),
    ("चौक", "Chowk"),
    ("अम्बिका", "Ambika"),
    ("भारत", "Bharat"),
];

static LUCKNOW: Region = Region {
    pools: &[
        (
            NamePool {
                male: HINDI_MALE,
                female: HINDI_FEMALE,
                family: HINDI_FAMILY,
                honorifics: HonorificStyle::Indic,
            },
            78,
        ),
        (
            NamePool { male: URDU_MALE, female: URDU_FEMALE, family: URDU_FAMILY, honorifics: HonorificStyle::English },
            22,
        ),
    ],
    name_style: NameStyle::Plain,
    localities: LUCKNOW_LOCALITIES,
    mobile_series: &["94150", "98390", "99350", "94500", "97930", "80040", "63070", "70070"],
    societies: LUCKNOW_SOCIETIES,
    brands: LUCKNOW_BRANDS,
};

// --- Shared ----------------------------------------------------------------

/// Block letters used in door numbers such as "B-12", in Latin and in
/// `[Tamil, Gujarati, Devanagari]`.
const BLOCK_LETTERS: &[(&str, [&str; 3])] =
    &[("A", ["ஏ", "એ", "ए"]), ("B", ["பி", "બી", "बी"]), ("C", ["சி", "સી", "सी"]), ("D", ["டி", "ડી", "डी"])];

/// Letters of native places that Tamil people carry as a first initial.
const TAMIL_PLACE_INITIALS: &[&str] = &["K.", "M.", "T.", "S.", "V.", "P."];

const INDUSTRIES: &[Industry] = &[
    Industry {
        industry: "Textiles", word: "Textiles", native: ["டெக்ஸ்டைல்ஸ்", "ટેક્સટાઇલ્સ", "टेक्सटाइल्स"]
    },
    Industry {
        industry: "Pharmaceuticals", word: "Pharma", native: ["பார்மா", "ફાર્મા", "फार्मा"]
    },
    Industry {
        industry: "Jewellery", word: "Jewellers", native: ["ஜுவல்லர்ஸ்", "જ્વેલર્સ", "ज्वैलर्स"]
    },
    Industry {
        industry: "IT Services", word: "Infotech", native: ["இன்ஃபோடெக்", "ઇન્ફોટેક", "इन्फोटेक"]
    },
    Industry {
        industry: "Hospitality", word: "Hotels", native: ["ஹோட்டல்ஸ்", "હોટેલ્સ", "होटल्स"]
    },
    Industry {
        industry: "Distribution",
        word: "Distributors",
        native: ["டிஸ்ட்ரிபியூட்டர்ஸ்", "ડિસ્ટ્રિબ્યુટર્સ", "डिस्ट्रीब्यूटर्स"],
    },
    Industry {
        industry: "Handicrafts", word: "Handicrafts", native: ["ஹேண்டிகிராஃப்ட்ஸ்", "હેન્ડીક્રાફ્ટ્સ", "हैंडीक्राफ्ट्स"]
    },
    Industry {
        industry: "Food Processing", word: "Foods", native: ["ஃபுட்ஸ்", "ફૂડ્સ", "फूड्स"]
    },
    Industry {
        industry: "Engineering",
        word: "Engineering Works",
        native: ["இன்ஜினியரிங் ஒர்க்ஸ்", "એન્જિનિયરિંગ વર્ક્સ", "इंजीनियरिंग वर्क्स"],
    },
    Industry {
        industry: "Chemicals", word: "Chemicals", native: ["கெமிக்கல்ஸ்", "કેમિકલ્સ", "केमिकल्स"]
    },
    Industry {
        industry: "Wholesale Trade", word: "Traders", native: ["டிரேடர்ஸ்", "ટ્રેડર્સ", "ट्रेडर्स"]
    },
    Industry {
        industry: "Sweets & Snacks", word: "Sweets", native: ["ஸ்வீட்ஸ்", "સ્વીટ્સ", "स्वीट्स"]
    },
    Industry {
        industry: "Electronics", word: "Electronics", native: ["எலக்ட்ரானிக்ஸ்", "ઇલેક્ટ્રોનિક્સ", "इलेक्ट्रॉनिक्स"]
    },
    Industry {
        industry: "Logistics", word: "Logistics", native: ["லாஜிஸ்டிக்ஸ்", "લોજિસ્ટિક્સ", "लॉजिस्टिक्स"]
    },
];

/// Legal forms. PAN entity types: C company, F firm (partnerships and LLPs),
/// P person (a proprietor trading under a shop name).
const LEGAL_FORMS: &[LegalForm] = &[
    LegalForm {
        suffix: "Pvt. Ltd.",
        native: ["பிரைவேட் லிமிடெட்", "પ્રાઇવેટ લિમિટેડ", "प्राइवेट लिमिटेड"],
        pan_type: 'C',
        weight: 35,
    },
    LegalForm {
        suffix: "LLP", native: ["எல்எல்பி", "એલએલપી", "एलएलपी"], pan_type: 'F', weight: 15
    },
    LegalForm {
        suffix: "& Co.", native: ["அண்ட் கோ", "એન્ડ કંપની", "एंड कंपनी"], pan_type: 'F', weight: 15
    },
    LegalForm {
        suffix: "& Sons", native: ["அண்ட் சன்ஸ்", "એન્ડ સન્સ", "एंड संस"], pan_type: 'F', weight: 10
    },
    LegalForm { suffix: "", native: ["", "", ""], pan_type: 'P', weight: 25 },
];

/// Words put before a brand once every brand/industry pair of a branch is
/// taken, so that legal names stay unique ("New Sri Murugan Textiles").
const NAME_ROUNDS: &[(&str, [&str; 3])] = &[
    ("", ["", "", ""]),
    ("New", ["நியூ", "ન્યૂ", "न्यू"]),
    ("Royal", ["ராயல்", "રોયલ", "रॉयल"]),
    ("Modern", ["மாடர்ன்", "મોડર્ન", "मॉडर्न"]),
    ("Golden", ["கோல்டன்", "ગોલ્ડન", "गोल्डन"]),
    ("Super", ["சூப்பர்", "સુપર", "सुपर"]),
];

const TAGS: &[&str] = &["wholesale", "retail", "festival-buyer", "repeat", "online", "referral"];

const TAG_COUNTS: &[(usize, u32)] = &[(0, 30), (1, 40), (2, 20), (3, 10)];

const VALUE_TIERS: &[(Option<&str>, u32)] =
    &[(Some("platinum"), 3), (Some("gold"), 12), (Some("silver"), 25), (Some("bronze"), 30), (None, 30)];

const SOURCES: &[(&str, u32)] =
    &[("walk-in", 35), ("referral", 25), ("phone", 15), ("website", 15), ("trade-fair", 10)];

const EMAIL_DOMAINS: &[(&str, u32)] = &[
    ("gmail.com", 50),
    ("yahoo.co.in", 15),
    ("rediffmail.com", 10),
    ("outlook.com", 10),
    ("hotmail.com", 5),
    ("yahoo.com", 5),
];

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

/// Latin-script parts of a person's name.
struct LatinName {
    family_name: Option<String>,
    father_name: Option<String>,
    name_latin: String,
    /// Lowercase ASCII words for the e-mail address: first and (optional) last.
    email_first: String,
    email_last: Option<String>,
}

fn person(index: usize, seed: u64) -> DemoPerson {
    let branch = DemoBranch::ALL[index % DemoBranch::ALL.len()];
    let region = branch.data();
    let mut rng = Rng::with_seed(stream_seed(seed, PEOPLE_SALT, index as u64));

    let pool = &weighted_ref(&mut rng, region.pools, |&(_, weight)| weight).0;
    let female = rng.bool();
    let given = *pick(&mut rng, if female { pool.female } else { pool.male });
    let (birthday, birth_year) = birthday(&mut rng);
    let age = birth_year.map(|year| REFERENCE_YEAR.saturating_sub(year));
    let honorific = honorific(&mut rng, pool.honorifics, female, age);
    let name = match region.name_style {
        NameStyle::Tamil => tamil_name(&mut rng, pool, given),
        NameStyle::Gujarati => gujarati_name(&mut rng, pool, given, female, age),
        NameStyle::Plain => plain_name(&mut rng, pool, given),
    };

    let language = if chance(&mut rng, 10) { "en" } else { branch.language() };
    let email = (!chance(&mut rng, 15)).then(|| email(&mut rng, &name.email_first, name.email_last.as_deref(), index));
    let phone = phone(&mut rng, branch, index / DemoBranch::ALL.len(), seed);
    let native_address = language != "en" && chance(&mut rng, 45);
    let (address_line, pin) = address(&mut rng, branch, native_address);

    let value_tier = weighted(&mut rng, VALUE_TIERS);
    let source = weighted(&mut rng, SOURCES);
    let tags = tags(&mut rng, value_tier, source);

    DemoPerson {
        external_id: format!("DEMO-{index:06}"),
        branch,
        honorific: honorific.to_string(),
        given_name: given.0.to_string(),
        family_name: name.family_name,
        father_name: name.father_name,
        name_latin: name.name_latin,
        gender: if female { "female" } else { "male" },
        language,
        birthday,
        email,
        phone,
        address_line,
        city: branch.city(),
        pin_code: pin.to_string(),
        tags,
        value_tier,
        source,
    }
}

/// A birthday string and the birth year when it is known: about 72% full
/// dates, 13% month and day only, 15% none.
fn birthday(rng: &mut Rng) -> (Option<String>, Option<u32>) {
    let roll = rng.u32(0..100);
    if roll < 15 {
        return (None, None);
    }
    // The mean of two uniform years puts most people in their thirties to fifties.
    let (first, last) = BIRTH_YEARS;
    let year = (rng.u32(first..=last) + rng.u32(first..=last)) / 2;
    if roll < 28 {
        let (month, day) = month_day(rng, None);
        (Some(format!("--{month:02}-{day:02}")), None)
    } else {
        let (month, day) = month_day(rng, Some(year));
        (Some(format!("{year:04}-{month:02}-{day:02}")), Some(year))
    }
}

/// The honorific for a person of this naming culture, gender and age: about
/// 4% "Dr." (never under 28), about 5% English-style, otherwise the
/// culture's own; married forms for women from 26, and for 70% of the women
/// whose age is unknown.
fn honorific(rng: &mut Rng, style: HonorificStyle, female: bool, age: Option<u32>) -> &'static str {
    if age.is_none_or(|age| age >= DOCTOR_FROM_AGE) && chance(rng, 4) {
        return "Dr.";
    }
    let married = female
        && match age {
            Some(age) => age >= MARRIED_FROM_AGE,
            None => chance(rng, 70),
        };
    // Some people of every background fill in forms the English way.
    let style = if chance(rng, 5) { HonorificStyle::English } else { style };
    match (style, female, married) {
        (HonorificStyle::Tamil, false, _) => "Thiru",
        (HonorificStyle::Tamil, true, true) => "Tmt.",
        (HonorificStyle::Tamil, true, false) => "Selvi",
        (HonorificStyle::Indic, false, _) => "Shri",
        (HonorificStyle::Indic, true, true) => "Smt.",
        (HonorificStyle::Indic, true, false) => "Kumari",
        (HonorificStyle::English, false, _) => "Mr.",
        (HonorificStyle::English, true, true) => "Mrs.",
        (HonorificStyle::English, true, false) => "Ms.",
    }
}

/// Tamil naming: mostly the father's initial before the given name
/// ("R. Karthik"), sometimes after it ("Karthik R."), sometimes with a
/// native-place initial too ("K. R. Karthik"); about one in five writes the
/// father's full name as a surname ("Karthik Ramasamy").
fn tamil_name(rng: &mut Rng, pool: &NamePool, given: Pair) -> LatinName {
    let fathers = if rng.bool() { pool.male } else { pool.family };
    let father = *pick(rng, fathers);
    if chance(rng, 22) {
        return LatinName {
            family_name: Some(father.0.to_string()),
            father_name: None,
            name_latin: format!("{} {}", given.1, father.1),
            email_first: email_word(given.1),
            email_last: Some(email_word(father.1)),
        };
    }
    let father_initial = initial(father.1);
    let initials =
        if chance(rng, 8) { format!("{} {father_initial}", pick(rng, TAMIL_PLACE_INITIALS)) } else { father_initial };
    let name_latin =
        if chance(rng, 12) { format!("{} {initials}", given.1) } else { format!("{initials} {}", given.1) };
    LatinName {
        family_name: None,
        father_name: Some(initials),
        name_latin,
        email_first: email_word(given.1),
        email_last: Some(email_word(father.1).chars().take(1).collect()),
    }
}

/// Gujarati naming: "Rameshbhai Patel", "Hetalben Shah" or plain
/// "Ramesh Patel"; older people carry the suffix more often.
fn gujarati_name(rng: &mut Rng, pool: &NamePool, given: Pair, female: bool, age: Option<u32>) -> LatinName {
    let family = *pick(rng, pool.family);
    let older = age.is_none_or(|age| age >= 35);
    let percent = match (female, older) {
        (false, true) => 65,
        (false, false) => 30,
        (true, true) => 55,
        (true, false) => 25,
    };
    let suffix = match (chance(rng, percent), female) {
        (false, _) => "",
        (true, false) => "bhai",
        (true, true) => "ben",
    };
    LatinName {
        family_name: Some(family.0.to_string()),
        father_name: None,
        name_latin: format!("{}{suffix} {}", given.1, family.1),
        email_first: email_word(given.1),
        email_last: Some(email_word(family.1)),
    }
}

/// Given name then family name: "Rajesh Sharma", "Ayesha Siddiqui".
fn plain_name(rng: &mut Rng, pool: &NamePool, given: Pair) -> LatinName {
    let family = *pick(rng, pool.family);
    LatinName {
        family_name: Some(family.0.to_string()),
        father_name: None,
        name_latin: format!("{} {}", given.1, family.1),
        email_first: email_word(given.1),
        email_last: Some(email_word(family.1)),
    }
}

/// "R." for "Ramasamy".
fn initial(latin: &str) -> String {
    latin.chars().next().map(|c| format!("{}.", c.to_ascii_uppercase())).unwrap_or_default()
}

/// Lowercase ASCII letters of a Latin name.
fn email_word(latin: &str) -> String {
    latin.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

/// An e-mail address ending in the person's index. Names have no digits, so
/// the trailing digits alone make the address unique.
fn email(rng: &mut Rng, first: &str, last: Option<&str>, index: usize) -> String {
    let local = match (last, rng.u32(0..6)) {
        (Some(last), 0 | 1) => format!("{first}.{last}{index}"),
        (Some(last), 2) => format!("{first}{last}{index}"),
        (Some(last), 3) => format!("{first}_{last}{index}"),
        (Some(last), 4) => {
            let initial: String = last.chars().take(1).collect();
            format!("{initial}{first}{index}")
        }
        _ => format!("{first}{index}"),
    };
    format!("{local}@{}", weighted(rng, EMAIL_DOMAINS))
}

/// A mobile number of the branch's city, unique per `(branch, serial)`.
///
/// The city's operator series (first five digits) and the last five digits
/// together form a space of `series * 100_000` numbers; `serial` walks it
/// with a golden-ratio step that shares no factor with its size, so
/// neighbouring people get unrelated-looking numbers and none repeats before
/// the whole space is used.
fn phone(rng: &mut Rng, branch: DemoBranch, serial: usize, seed: u64) -> String {
    let series = branch.data().mobile_series;
    let space = series.len() as u64 * 100_000;
    let step = coprime_stride(space, space * 618_034 / 1_000_000);
    let offset = stream_seed(seed, PHONE_SALT, branch.slot() as u64) % space;
    let number = ((serial as u64 % space) * step + offset) % space;
    let prefix = series[(number / 100_000) as usize];
    let rest = format!("{:05}", number % 100_000);
    match rng.u32(0..100) {
        0..=29 => format!("{prefix} {rest}"),
        30..=49 => format!("+91 {prefix} {rest}"),
        50..=59 => format!("+91-{prefix}-{rest}"),
        60..=69 => format!("0{prefix} {rest}"),
        70..=89 => format!("{prefix}{rest}"),
        90..=94 => format!("+91{prefix}{rest}"),
        _ => format!("{prefix}-{rest}"),
    }
}

/// A street address in a real locality of the branch's city, with that
/// locality's PIN code.
fn address(rng: &mut Rng, branch: DemoBranch, native: bool) -> (String, u32) {
    let region = branch.data();
    let locality = pick(rng, region.localities);
    let street = *pick(rng, locality.streets);
    let society = *pick(rng, region.societies);
    let block = pick(rng, BLOCK_LETTERS);
    let choose = |pair: Pair| if native { pair.0 } else { pair.1 };
    let (street, place, society) = (choose(street), choose(locality.name), choose(society));
    let block = if native { block.1[branch.slot()] } else { block.0 };
    let door = rng.u32(1..=250);
    let sub = rng.u32(1..=12);
    let roll = rng.u32(0..10);
    let line = match branch {
        DemoBranch::Chennai => match (roll, native) {
            (0..=3, _) => format!("{door}, {street}, {place}"),
            (4..=5, true) => format!("எண் {door}, {street}, {place}"),
            (4..=5, false) => format!("No. {door}, {street}, {place}"),
            (6, _) => format!("{door}/{sub}, {street}, {place}"),
            (7, true) => format!("{block}-{sub}, {society}, {door}, {street}, {place}"),
            (7, false) => format!("Flat {block}{sub}, {society}, {door}, {street}, {place}"),
            (_, true) => {
                let old = rng.u32(1..=250);
                format!("பழைய எண் {old}, புதிய எண் {door}, {street}, {place}")
            }
            (_, false) => {
                let old = rng.u32(1..=250);
                format!("Old No. {old}, New No. {door}, {street}, {place}")
            }
        },
        DemoBranch::Ahmedabad => match roll {
            0..=3 => format!("{door}, {street}, {place}"),
            4..=7 => format!("{block}-{door}, {society}, {street}, {place}"),
            _ => format!("{door}, {society}, {place}"),
        },
        DemoBranch::Lucknow => match roll {
            0..=3 => format!("{door}, {street}, {place}"),
            4..=5 => format!("{block}-{door}, {street}, {place}"),
            6 => format!("{block}-{door}, {society}, {place}"),
            _ => format!("{sub}/{door}, {street}, {place}"),
        },
    };
    (line, locality.pin)
}

/// Up to three tags. Platinum (and some gold) customers are tagged "vip";
/// half of those who came by referral are tagged "referral".
fn tags(rng: &mut Rng, tier: Option<&str>, source: &str) -> Vec<&'static str> {
    let count = weighted(rng, TAG_COUNTS);
    let mut tags = rng.choose_multiple(TAGS.iter().copied(), count);
    // Someone is a wholesale or a retail customer, rarely both.
    if tags.contains(&"wholesale") {
        tags.retain(|tag| *tag != "retail");
    }
    if source == "referral" && !tags.contains(&"referral") && chance(rng, 50) {
        tags.push("referral");
    }
    let vip = match tier {
        Some("platinum") => true,
        Some("gold") => chance(rng, 30),
        _ => false,
    };
    if vip {
        tags.insert(0, "vip");
    }
    tags.truncate(3);
    tags
}

// ---------------------------------------------------------------------------
// Companies
// ---------------------------------------------------------------------------

fn company(index: usize, seed: u64) -> DemoCompany {
    let branch = DemoBranch::ALL[index % DemoBranch::ALL.len()];
    let slot = branch.slot();
    let region = branch.data();
    let mut rng = Rng::with_seed(stream_seed(seed, COMPANY_SALT, index as u64));

    // Walk the branch's brand × industry pairs in a seed-dependent order, so
    // that no two companies share a legal name.
    let serial = (index / DemoBranch::ALL.len()) as u64;
    let pairs = (region.brands.len() * INDUSTRIES.len()) as u64;
    let order_seed = stream_seed(seed, COMPANY_SALT, u64::MAX - slot as u64);
    let stride = coprime_stride(pairs, order_seed);
    let offset = (order_seed >> 32) % pairs;
    let pair = (((serial % pairs) * stride + offset) % pairs) as usize;
    let round = (serial / pairs) as usize;
    let brand = region.brands[pair / INDUSTRIES.len()];
    let industry = &INDUSTRIES[pair % INDUSTRIES.len()];
    let (prefix, prefix_native) = NAME_ROUNDS[round % NAME_ROUNDS.len()];
    let number = match round / NAME_ROUNDS.len() {
        0 => String::new(),
        lap => (lap + 1).to_string(),
    };
    let form = weighted_ref(&mut rng, LEGAL_FORMS, |form| form.weight);

    let legal_name = join_words(&[prefix, brand.1, industry.word, number.as_str(), form.suffix]);
    let native_name =
        join_words(&[prefix_native[slot], brand.0, industry.native[slot], number.as_str(), form.native[slot]]);

    // PAN: three letters, entity type, initial of the name (of the
    // proprietor's surname for a person), four digits, a letter.
    let name_initial = if form.pan_type == 'P' {
        let family = pick(&mut rng, region.pools[0].0.family);
        family.1.chars().next().unwrap_or('A')
    } else {
        legal_name.chars().next().unwrap_or('A')
    };
    let serial_digits = ((index as u64 % 9999) * 7919 + seed % 9999) % 9999 + 1;
    let pan = format!(
        "{}{}{}{}{}{serial_digits:04}{}",
        if chance(&mut rng, 80) { 'A' } else { 'B' },
        rng.uppercase(),
        rng.uppercase(),
        form.pan_type,
        name_initial.to_ascii_uppercase(),
        rng.uppercase(),
    );
    let mut gstin = format!("{}{pan}1Z", branch.gst_state_code());
    if let Some(check) = gstin_check_char(&gstin) {
        gstin.push(check);
    }

    // Later years are likelier: the max of two uniform years.
    let (first, last) = FOUNDING_YEARS;
    let year = rng.u32(first..=last).max(rng.u32(first..=last));
    let (month, day) = month_day(&mut rng, Some(year));

    DemoCompany {
        branch,
        legal_name,
        native_name,
        gstin,
        industry: industry.industry,
        founded_on: format!("{year:04}-{month:02}-{day:02}"),
    }
}

/// Joins the non-empty words with single spaces.
fn join_words(words: &[&str]) -> String {
    words.iter().copied().filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The first step at or after `start` (taken modulo `modulus`) that is
/// non-zero and shares no factor with `modulus`, so that `i * step % modulus`
/// visits every residue once for `i` in `0..modulus`.
fn coprime_stride(modulus: u64, start: u64) -> u64 {
    if modulus <= 1 {
        return 1;
    }
    (0..modulus)
        .map(|step| (start % modulus + step) % modulus)
        .find(|&step| step > 0 && gcd(step, modulus) == 1)
        .unwrap_or(1)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

/// SplitMix64 finaliser: spreads nearby inputs over the whole `u64` range.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seed of the random stream for record `index` of the kind `salt`.
fn stream_seed(seed: u64, salt: u64, index: u64) -> u64 {
    splitmix64(splitmix64(seed ^ salt).wrapping_add(index))
}

/// A uniformly chosen item. The tables are never empty.
fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// True with probability `percent`/100.
fn chance(rng: &mut Rng, percent: u32) -> bool {
    rng.u32(0..100) < percent
}

/// An item chosen with probability proportional to its weight.
fn weighted<T: Copy>(rng: &mut Rng, items: &[(T, u32)]) -> T {
    weighted_ref(rng, items, |&(_, weight)| weight).0
}

/// A reference to an item chosen with probability proportional to `weight(item)`.
fn weighted_ref<'a, T>(rng: &mut Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut roll = rng.u32(..total.max(1));
    for item in items {
        let w = weight(item);
        if roll < w {
            return item;
        }
        roll -= w;
    }
    &items[0]
}

fn is_leap_year(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month`; February has 28 days when the year is unknown, so that
/// a month-day without a year is valid in every year.
fn days_in_month(year: Option<u32>, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_some_and(is_leap_year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// A valid month and day, in `year` when it is given.
fn month_day(rng: &mut Rng, year: Option<u32>) -> (u32, u32) {
    let month = rng.u32(1..=12);
    let day = rng.u32(1..=days_in_month(year, month));
    (month, day)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const MALE_HONORIFICS: &[&str] = &["Thiru", "Shri", "Mr.", "Dr."];
    const FEMALE_HONORIFICS: &[&str] = &["Tmt.", "Selvi", "Smt.", "Kumari", "Mrs.", "Ms.", "Dr."];
    const MARRIED_HONORIFICS: &[&str] = &["Tmt.", "Smt.", "Mrs."];
    const UNMARRIED_HONORIFICS: &[&str] = &["Selvi", "Kumari"];

    fn script_range(branch: DemoBranch) -> std::ops::RangeInclusive<char> {
        match branch {
            DemoBranch::Chennai => '\u{0B80}'..='\u{0BFF}',
            DemoBranch::Ahmedabad => '\u{0A80}'..='\u{0AFF}',
            DemoBranch::Lucknow => '\u{0900}'..='\u{097F}',
        }
    }

    fn in_script(text: &str, branch: DemoBranch) -> bool {
        let range = script_range(branch);
        !text.is_empty() && text.chars().all(|c| range.contains(&c))
    }

    /// Native text with spaces, ASCII digits and punctuation allowed between words.
    fn in_script_with_spacing(text: &str, branch: DemoBranch) -> bool {
        let range = script_range(branch);
        text.chars().any(|c| range.contains(&c))
            && text.chars().all(|c| range.contains(&c) || c == ' ' || c.is_ascii_digit() || ".-".contains(c))
    }

    fn pin_range(branch: DemoBranch) -> std::ops::RangeInclusive<u32> {
        match branch {
            DemoBranch::Chennai => 600_001..=600_119,
            DemoBranch::Ahmedabad => 380_001..=380_061,
            DemoBranch::Lucknow => 226_001..=226_031,
        }
    }

    /// The ten national digits of a typed Indian mobile number.
    fn national_digits(phone: &str) -> String {
        assert!(phone.chars().all(|c| c.is_ascii_digit() || " -+".contains(c)), "unexpected character in {phone:?}");
        let rest = phone.strip_prefix("+91").unwrap_or(phone);
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        match digits.strip_prefix('0') {
            Some(without_zero) if digits.len() == 11 => without_zero.to_string(),
            _ => digits,
        }
    }

    /// Parses "YYYY-MM-DD" or "--MM-DD" and checks the day exists.
    fn valid_date(text: &str) -> Option<(Option<u32>, u32, u32)> {
        let (year, month_day) = match text.strip_prefix("--") {
            Some(month_day) => (None, month_day),
            None => {
                let (year, rest) = text.split_once('-')?;
                if year.len() != 4 {
                    return None;
                }
                (Some(year.parse::<u32>().ok()?), rest)
            }
        };
        let (month, day) = month_day.split_once('-')?;
        if month.len() != 2 || day.len() != 2 {
            return None;
        }
        let (month, day): (u32, u32) = (month.parse().ok()?, day.parse().ok()?);
        let max_day = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 => match year {
                Some(y) if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
                Some(_) => 28,
                None => 29,
            },
            _ => return None,
        };
        (1..=max_day).contains(&day).then_some((year, month, day))
    }

    #[test]
    fn same_seed_gives_same_people_and_companies() {
        let a = demo_people(300, 42);
        let b = demo_people(300, 42);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let c = demo_people(300, 43);
        assert_ne!(format!("{a:?}"), format!("{c:?}"));

        let a = demo_companies(2000, 7);
        let b = demo_companies(2000, 7);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let c = demo_companies(2000, 8);
        assert_ne!(format!("{a:?}"), format!("{c:?}"));
    }

    #[test]
    fn a_larger_demo_extends_a_smaller_one() {
        let small = demo_people(40, 9);
        let large = demo_people(90, 9);
        assert_eq!(format!("{small:?}"), format!("{:?}", &large[..40]));
        let small = demo_companies(60, 9);
        let large = demo_companies(600, 9);
        assert_eq!(format!("{small:?}"), format!("{:?}", &large[..small.len()]));
    }

    #[test]
    fn ids_branches_and_cities() {
        let people = demo_people(30, 1);
        for (index, person) in people.iter().enumerate() {
            assert_eq!(person.external_id, format!("DEMO-{index:06}"));
            assert_eq!(person.branch, DemoBranch::ALL[index % 3]);
            assert_eq!(person.city, person.branch.city());
        }
        assert_eq!(DemoBranch::Chennai.region(), "IN-TN");
        assert_eq!(DemoBranch::Ahmedabad.language(), "gu");
        assert_eq!(DemoBranch::Lucknow.time_zone(), "Asia/Kolkata");
        assert!(demo_people(0, 1).is_empty());
    }

    #[test]
    fn gstin_check_char_matches_published_example() {
        assert_eq!(gstin_check_char("27AAPFU0939F1Z"), Some('V'));
        assert_eq!(gstin_check_char("27AAPFU0939F1ZV"), Some('V'));
        assert_eq!(gstin_check_char("27aapfu0939f1z"), None);
        assert_eq!(gstin_check_char("27AAPFU0939F1"), None);
        assert_eq!(gstin_check_char("27AAPFU0939F-Z"), None);
    }

    #[test]
    fn every_gstin_is_valid_and_unique() {
        let companies = demo_companies(60_000, 5);
        assert_eq!(companies.len(), 3000);
        let mut seen = HashSet::new();
        for company in &companies {
            let gstin = &company.gstin;
            let chars: Vec<char> = gstin.chars().collect();
            assert_eq!(chars.len(), 15, "{gstin}");
            assert!(gstin.starts_with(company.branch.gst_state_code()), "{gstin}");
            assert!(chars[2..7].iter().all(char::is_ascii_uppercase), "{gstin}");
            assert!("CFP".contains(chars[5]), "{gstin}");
            assert!(chars[7..11].iter().all(char::is_ascii_digit), "{gstin}");
            assert!(chars[11].is_ascii_uppercase(), "{gstin}");
            assert_eq!(chars[12], '1', "{gstin}");
            assert_eq!(chars[13], 'Z', "{gstin}");
            assert_eq!(gstin_check_char(&gstin[..14]), Some(chars[14]), "{gstin}");
            if chars[5] != 'P' {
                assert!(company.legal_name.starts_with(chars[6]), "{gstin}");
            }
            assert!(seen.insert(gstin.clone()), "duplicate GSTIN {gstin}");
        }
    }

    #[test]
    fn companies_are_believable() {
        assert_eq!(demo_companies(0, 3).len(), 3);
        assert_eq!(demo_companies(100, 3).len(), 5);
        let companies = demo_companies(100_000, 3);
        assert_eq!(companies.len(), 5000);
        for branch in DemoBranch::ALL {
            assert!(companies.iter().any(|c| c.branch == branch));
        }
        let mut names = HashSet::new();
        for company in &companies {
            assert!(company.legal_name.is_ascii(), "{}", company.legal_name);
            assert!(names.insert(company.legal_name.clone()), "duplicate name {}", company.legal_name);
            assert!(in_script_with_spacing(&company.native_name, company.branch), "{}", company.native_name);
            assert!(!company.industry.is_empty());
            let (year, _, _) = valid_date(&company.founded_on).unwrap_or((None, 0, 0));
            let year = year.unwrap_or(0);
            assert!((1950..=2020).contains(&year), "{}", company.founded_on);
        }
    }

    #[test]
    fn phones_are_unique_indian_mobiles() {
        let people = demo_people(10_000, 11);
        let mut seen = HashSet::new();
        for person in &people {
            let digits = national_digits(&person.phone);
            assert_eq!(digits.len(), 10, "{}", person.phone);
            assert!(digits.starts_with(['6', '7', '8', '9']), "{}", person.phone);
            assert!(seen.insert(digits), "duplicate phone {}", person.phone);
        }
        // Several typing styles show up.
        assert!(people.iter().any(|p| p.phone.starts_with("+91")));
        assert!(people.iter().any(|p| p.phone.starts_with('0')));
        assert!(people.iter().any(|p| p.phone.len() == 10));
    }

    #[test]
    fn pin_codes_belong_to_the_city() {
        for person in demo_people(3000, 12) {
            assert_eq!(person.pin_code.len(), 6, "{}", person.pin_code);
            let pin: u32 = person.pin_code.parse().unwrap_or(0);
            assert!(pin_range(person.branch).contains(&pin), "{}", person.pin_code);
            assert!(!person.address_line.is_empty());
        }
        for branch in DemoBranch::ALL {
            for locality in branch.data().localities {
                assert!(pin_range(branch).contains(&locality.pin), "{}", locality.name.1);
                assert!(in_script_with_spacing(locality.name.0, branch), "{}", locality.name.0);
                for street in locality.streets {
                    assert!(in_script_with_spacing(street.0, branch), "{}", street.0);
                    assert!(street.1.is_ascii());
                }
            }
        }
    }

    #[test]
    fn birthdays_are_valid_dates() {
        let people = demo_people(5000, 13);
        let mut missing = 0;
        let mut without_year = 0;
        for person in &people {
            let Some(birthday) = &person.birthday else {
                missing += 1;
                continue;
            };
            let parsed = valid_date(birthday);
            assert!(parsed.is_some(), "invalid birthday {birthday}");
            match parsed.and_then(|(year, _, _)| year) {
                Some(year) => assert!((1950..=2004).contains(&year), "{birthday}"),
                None => without_year += 1,
            }
        }
        assert!((500..=1100).contains(&missing), "{missing} without a birthday");
        assert!(without_year > 300, "{without_year} without a year");
        // Leap days are handled by the generator's own calendar too.
        assert_eq!(days_in_month(Some(2000), 2), 29);
        assert_eq!(days_in_month(Some(1900), 2), 28);
        assert_eq!(days_in_month(Some(2004), 2), 29);
        assert_eq!(days_in_month(None, 2), 28);
        assert!(valid_date("1999-02-29").is_none());
        assert!(valid_date("1996-02-29").is_some());
    }

    #[test]
    fn honorifics_fit_gender_and_age() {
        for person in demo_people(5000, 14) {
            let honorific = person.honorific.as_str();
            match person.gender {
                "male" => assert!(MALE_HONORIFICS.contains(&honorific), "{honorific}"),
                "female" => assert!(FEMALE_HONORIFICS.contains(&honorific), "{honorific}"),
                other => panic!("unexpected gender {other}"),
            }
            let year = person.birthday.as_deref().and_then(valid_date).and_then(|(year, _, _)| year);
            if let Some(year) = year {
                let age = REFERENCE_YEAR - year;
                if MARRIED_HONORIFICS.contains(&honorific) {
                    assert!(age >= MARRIED_FROM_AGE, "{honorific} aged {age}");
                }
                if UNMARRIED_HONORIFICS.contains(&honorific) {
                    assert!(age < MARRIED_FROM_AGE, "{honorific} aged {age}");
                }
                if honorific == "Dr." {
                    assert!(age >= DOCTOR_FROM_AGE, "doctor aged {age}");
                }
            }
            let native = match person.branch {
                DemoBranch::Chennai => ["Thiru", "Tmt.", "Selvi"],
                DemoBranch::Ahmedabad | DemoBranch::Lucknow => ["Shri", "Smt.", "Kumari"],
            };
            let english = ["Mr.", "Mrs.", "Ms.", "Dr."];
            assert!(
                native.contains(&honorific) || english.contains(&honorific),
                "{honorific} in {}",
                person.branch.name()
            );
        }
    }

    #[test]
    fn names_are_in_the_right_scripts() {
        let people = demo_people(3000, 15);
        let mut tamil_without_family = 0;
        let mut tamil = 0;
        for person in &people {
            assert!(in_script(&person.given_name, person.branch), "{}", person.given_name);
            if let Some(family) = &person.family_name {
                assert!(in_script(family, person.branch), "{family}");
            }
            let latin = &person.name_latin;
            assert!(latin.is_ascii(), "{latin}");
            assert!(!latin.contains("  ") && latin.trim() == latin, "{latin:?}");
            match person.branch {
                DemoBranch::Chennai => {
                    tamil += 1;
                    match &person.father_name {
                        Some(initials) => {
                            assert!(person.family_name.is_none());
                            tamil_without_family += 1;
                            let valid = initials.split(' ').all(|part| {
                                let b = part.as_bytes();
                                b.len() == 2 && b[0].is_ascii_uppercase() && b[1] == b'.'
                            });
                            assert!(valid, "{initials:?}");
                            assert!(latin.contains(initials.as_str()), "{latin}");
                        }
                        None => assert!(person.family_name.is_some()),
                    }
                }
                DemoBranch::Ahmedabad | DemoBranch::Lucknow => {
                    assert!(person.father_name.is_none());
                    assert!(person.family_name.is_some());
                }
            }
            let expected = [person.branch.language(), "en"];
            assert!(expected.contains(&person.language), "{}", person.language);
        }
        assert!(tamil_without_family * 10 > tamil * 6, "{tamil_without_family}/{tamil}");
        assert!(people.iter().any(|p| p.name_latin.contains("bhai ")));
        assert!(people.iter().any(|p| p.name_latin.contains("ben ")));
    }

    #[test]
    fn name_tables_are_well_formed() {
        for branch in DemoBranch::ALL {
            let region = branch.data();
            let mut given = 0;
            for (pool, _) in region.pools {
                given += pool.male.len() + pool.female.len();
                for &(native, latin) in pool.male.iter().chain(pool.female).chain(pool.family) {
                    assert!(in_script(native, branch), "{native}");
                    assert!(!latin.is_empty() && latin.chars().all(|c| c.is_ascii_alphabetic()));
                }
                let natives: HashSet<_> = pool.male.iter().chain(pool.female).collect();
                assert_eq!(natives.len(), pool.male.len() + pool.female.len());
            }
            assert!(given >= 40, "{} has {given} given names", branch.name());
            assert!(region.pools[0].0.family.len() >= 15);
            for &(native, latin) in region.brands.iter().chain(region.societies) {
                assert!(in_script_with_spacing(native, branch), "{native}");
                assert!(latin.is_ascii());
            }
        }
    }

    #[test]
    fn emails_are_unique_lowercase_ascii() {
        let people = demo_people(5000, 16);
        let mut seen = HashSet::new();
        let mut missing = 0;
        for person in &people {
            let Some(email) = &person.email else {
                missing += 1;
                continue;
            };
            assert!(email.is_ascii() && email.to_lowercase() == *email, "{email}");
            let (local, domain) = email.split_once('@').unwrap_or(("", ""));
            assert!(!local.is_empty() && domain.contains('.'), "{email}");
            assert!(seen.insert(email.clone()), "duplicate email {email}");
        }
        assert!((400..=1100).contains(&missing), "{missing} without e-mail");
    }

    #[test]
    fn tags_tiers_and_sources() {
        let people = demo_people(3000, 17);
        let mut platinum = 0;
        let mut bronze = 0;
        for person in &people {
            assert!(person.tags.len() <= 3);
            let unique: HashSet<_> = person.tags.iter().collect();
            assert_eq!(unique.len(), person.tags.len(), "{:?}", person.tags);
            match person.value_tier {
                Some("platinum") => {
                    platinum += 1;
                    assert!(person.tags.contains(&"vip"));
                }
                Some("bronze") => bronze += 1,
                Some("gold" | "silver") | None => {}
                Some(other) => panic!("unexpected tier {other}"),
            }
            let sources = ["walk-in", "referral", "website", "trade-fair", "phone"];
            assert!(sources.contains(&person.source));
        }
        assert!(platinum > 0 && platinum * 4 < bronze, "{platinum} vs {bronze}");
    }
}
