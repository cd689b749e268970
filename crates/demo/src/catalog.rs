//! The fixed vocabularies the generator draws from. No value contains a comma, a quote or a
//! line break, so rows can be written without CSV quoting.

pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Grace", "Hugo", "Isabel", "Jonas", "Kara", "Liam", "Maya",
    "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Will", "Xenia", "Yusuf", "Zoë",
    "Aisha", "Bruno", "Clara", "Daniel", "Elena", "Finn", "Greta", "Hannah", "Ivan", "Julia", "Kenji", "Lena", "Marco",
    "Nina", "Oscar", "Priya", "Rafael", "Sofia", "Tom", "Ulla", "Victor", "Wen", "Yara", "Zach", "Amélie", "Björn",
    "Carmen", "Diego", "Eva", "Farah", "Giulia", "Henrik", "Inès", "James", "Lucía", "Mateo", "Søren", "Leon", "Mia",
    "Lukas", "Sarah", "Thomas", "Laura", "Michael",
];

pub const LAST_NAMES: &[&str] = &[
    "Smith",
    "Müller",
    "García",
    "Rossi",
    "Dubois",
    "Jansen",
    "Nowak",
    "Johansson",
    "Brown",
    "Schmidt",
    "Martin",
    "Fernández",
    "Bianchi",
    "Laurent",
    "de Vries",
    "Kowalski",
    "Nielsen",
    "Wilson",
    "Schneider",
    "López",
    "Romano",
    "Moreau",
    "Bakker",
    "Wiśniewski",
    "Andersson",
    "Taylor",
    "Fischer",
    "Martínez",
    "Colombo",
    "Bernard",
    "Visser",
    "Lewandowski",
    "Larsen",
    "Davies",
    "Weber",
    "Sánchez",
    "Ricci",
    "Petit",
    "Smit",
    "Kamiński",
    "Berg",
    "Evans",
    "Meyer",
    "Pérez",
    "Marino",
    "Durand",
    "Mulder",
    "Zieliński",
    "Hansen",
    "Thomas",
    "Wagner",
    "Gómez",
    "Greco",
    "Leroy",
    "Bos",
    "Lindqvist",
    "O'Brien",
    "Okafor",
    "Nakamura",
    "Chen",
    "Patel",
    "Kim",
    "Singh",
    "Haddad",
    "Novak",
    "Costa",
    "Silva",
    "Ivanova",
    "Yilmaz",
    "Murphy",
];

pub const EMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "hotmail.com",
    "icloud.com",
    "proton.me",
    "gmx.de",
    "web.de",
    "orange.fr",
    "libero.it",
    "mail.com",
];

pub const COMPANY_PREFIXES: &[&str] = &[
    "Northwind",
    "Blue Harbor",
    "Silver Oak",
    "Bright",
    "Summit",
    "Red Fern",
    "Evergreen",
    "Nordic",
    "Atlas",
    "Copper",
    "Lumen",
    "Granite",
    "Harbor Light",
    "Pioneer",
    "Meridian",
    "Cobalt",
    "Willow",
    "Ironbridge",
    "Sunrise",
    "Vista",
    "Falcon",
    "Orbit",
    "Maple",
    "Helix",
    "Crescent",
    "Redwood",
    "Alpine",
    "Kestrel",
    "Tidewater",
    "Juniper",
];

pub const COMPANY_NOUNS: &[&str] = &[
    "Logistics",
    "Analytics",
    "Foods",
    "Labs",
    "Health",
    "Retail",
    "Systems",
    "Media",
    "Studio",
    "Partners",
    "Energy",
    "Software",
    "Apparel",
    "Outdoors",
    "Finance",
    "Travel",
    "Learning",
    "Robotics",
    "Coffee",
    "Furniture",
];

/// Empty entries make the legal form optional.
pub const LEGAL_FORMS: &[&str] = &["", "", "", " Inc", " Ltd", " GmbH", " B.V.", " SAS", " AB"];

pub const COMPANY_TLDS: &[&str] = &[".com", ".com", ".io", ".de", ".co.uk", ".fr", ".nl"];

pub const INDUSTRIES: &[&str] = &[
    "software",
    "retail",
    "manufacturing",
    "healthcare",
    "finance",
    "education",
    "logistics",
    "media",
    "hospitality",
    "nonprofit",
];

/// Plans with their ARR range in major units (0 = no ARR), and weight.
pub const PLANS: &[((&str, i64, i64), u32)] = &[
    (("free", 0, 0), 30),
    (("starter", 1_200, 6_000), 30),
    (("pro", 6_000, 40_000), 25),
    (("enterprise", 40_000, 400_000), 15),
];

pub const OWNERS: &[&str] =
    &["Alice Moreau", "Ben Carter", "Chloé Martin", "Daniel Weber", "Emily Chen", "Farid Haddad"];

pub const REGIONS: &[(&str, u32)] = &[("EMEA", 50), ("NA", 30), ("APAC", 15), ("LATAM", 5)];

/// ISO country code and calling code, weight.
pub const COUNTRIES: &[((&str, &str), u32)] = &[
    (("US", "1"), 25),
    (("GB", "44"), 12),
    (("DE", "49"), 14),
    (("FR", "33"), 10),
    (("NL", "31"), 7),
    (("ES", "34"), 6),
    (("IT", "39"), 6),
    (("SE", "46"), 4),
    (("PL", "48"), 4),
    (("CA", "1"), 5),
    (("AU", "61"), 4),
    (("BR", "55"), 3),
];

pub const ROLES: &[(&str, u32)] = &[("member", 45), ("manager", 20), ("analyst", 15), ("admin", 12), ("owner", 8)];

pub const ACQUISITION_CHANNELS: &[(&str, u32)] = &[
    ("organic_search", 28),
    ("paid_search", 18),
    ("social", 15),
    ("referral", 12),
    ("email", 8),
    ("direct", 10),
    ("partner", 5),
    ("event", 4),
];

pub const PAYMENT_TYPES: &[(&str, u32)] =
    &[("card", 50), ("paypal", 18), ("invoice", 14), ("bank_transfer", 10), ("direct_debit", 8)];

pub const INVOICE_PERIODS: &[(&str, u32)] = &[("monthly", 60), ("quarterly", 15), ("yearly", 25)];

pub const COMPLAINT_REASONS: &[&str] =
    &["late_delivery", "billing_error", "product_quality", "poor_support", "missing_feature", "too_expensive"];

pub const NEWSLETTER_TOPICS: &[&str] = &["product_updates", "tips", "offers", "events"];

/// Product name and unit price in minor units, cheapest first (spending tiers are thirds).
pub const PRODUCTS: &[(&str, i64)] = &[
    ("Enamel Mug", 1290),
    ("Trail Socks", 1490),
    ("Coffee Beans 1kg", 2490),
    ("Water Bottle", 2590),
    ("Merino Beanie", 2990),
    ("Headlamp", 3490),
    ("Pour-Over Set", 3900),
    ("Cotton Hoodie", 5900),
    ("Camp Stove", 6900),
    ("Day Pack 20L", 7900),
    ("Trekking Poles", 8900),
    ("Rain Jacket", 11900),
    ("Sleeping Pad", 12900),
    ("Trail Running Shoes", 13900),
    ("Hiking Boots", 15900),
    ("Down Vest", 16900),
    ("Backpack 45L", 21900),
    ("Down Jacket", 24900),
    ("Sleeping Bag", 27900),
    ("Two-Person Tent", 34900),
];

pub const STORES: &[&str] =
    &["Berlin Mitte", "London Soho", "Paris Marais", "Amsterdam Centrum", "Madrid Sol", "Milan Brera"];

pub const EVENTS: &[(&str, u32)] = &[
    ("login", 30),
    ("dashboard_viewed", 22),
    ("users_page_viewed", 14),
    ("filter_applied", 10),
    ("segment_viewed", 8),
    ("segment_created", 4),
    ("segment_edited", 4),
    ("report_exported", 4),
    ("import_started", 2),
    ("invite_sent", 1),
    ("settings_changed", 1),
];

/// Relative likelihood of an order in each UTC hour; nights are quiet.
pub const ORDER_HOURS: [(i64, u32); 24] = [
    (0, 15),
    (1, 10),
    (2, 8),
    (3, 8),
    (4, 10),
    (5, 15),
    (6, 30),
    (7, 50),
    (8, 70),
    (9, 85),
    (10, 95),
    (11, 100),
    (12, 100),
    (13, 95),
    (14, 90),
    (15, 90),
    (16, 90),
    (17, 95),
    (18, 100),
    (19, 100),
    (20, 90),
    (21, 70),
    (22, 45),
    (23, 25),
];
