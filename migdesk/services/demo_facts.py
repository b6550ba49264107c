"""The ministry memo (shared/seed, 2019) as records: partner states, the France agreement and
its milestones, the Paris and Israel visits, the Poland pilot with IOM, Bulgaria's assessment.

Facts keep the precision the memo gives (the signature: "2013"; France's ratification:
"2018-12"; Georgia's ratification: no date).
"""

from __future__ import annotations

MINISTRY = ("საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა, შრომის, ჯანმრთელობისა და "
            "სოციალური დაცვის სამინისტრო")
MINISTRY_EN = ("Ministry of Internally Displaced Persons from the Occupied Territories, Labour, "
               "Health and Social Affairs of Georgia")
MFA = "საქართველოს საგარეო საქმეთა სამინისტრო"

FRANCE_AGREEMENT = {
    "kind": "agreement",
    "title_ka": ("საქართველოს მთავრობასა და საფრანგეთის რესპუბლიკის მთავრობას შორის "
                 "კვალიფიციური სპეციალისტების ბინადრობისა და ცირკულარული მიგრაციის შესახებ "
                 "ხელშეკრულება"),
    "title_en": ("Agreement between the Government of Georgia and the Government of the French "
                 "Republic on the residence of qualified specialists and circular migration"),
    "notes": ("ერთ-ერთი მთავარი ინსტრუმენტი საქართველოსა და საფრანგეთს შორის საზღვარგარეთ "
              "დროებით ლეგალურად დასაქმების (ცირკულარული მიგრაციის) სფეროში."),
}
FRANCE_MILESTONES = (
    ("signed", "2013", None, "ხელი მოეწერა 2013 წელს (მემორანდუმში მითითებულია მხოლოდ წელი)"),
    ("ratified_georgia", None, None, "რატიფიცირებულია საქართველოს პარლამენტის მიერ"),
    ("ratified_partner", "2018-12", None, "რატიფიცირებულია ფრანგული მხარის მიერ"),
    ("entered_into_force", "2019-02-01", None, "ძალაში შევიდა"),
)

PARIS_VISIT = {
    "direction": "outgoing", "country": "FR", "city": "პარიზი",
    "start_date": "2019-04-02", "lead_agency": MINISTRY,
    "participants": MFA + " (აქტიური ჩართულობით)",
    "purpose": ("საქართველოსა და საფრანგეთს შორის საზღვარგარეთ დროებით ლეგალურად დასაქმების "
                "სქემების უმოკლეს ვადაში ამოქმედება"),
    "outcomes": ("განხილულ იქნა ყველა ტექნიკური დეტალი, რათა შეძლებისდაგვარად უმოკლეს ვადაში "
                 "ამოქმედდეს საქართველოსა და საფრანგეთს შორის საზღვარგარეთ დროებით "
                 "ლეგალურად დასაქმების სქემები."),
}

ISRAEL_VISIT = {
    "direction": "outgoing", "country": "IL", "city": None,
    "start_date": "2018-12-03", "lead_agency": MINISTRY,
    "participants": "სხვა სახელმწიფო უწყებები",
    "purpose": ("ისრაელის მხარესთან საზღვარგარეთ დროებით ლეგალურად დასაქმების (ცირკულარული "
                "მიგრაციის) სფეროში თანამშრომლობის დაწყება"),
    "outcomes": ("საქართველოს მხარემ გააცნო ისრაელის მხარეს ცირკულარული მიგრაციის სფეროში "
                 "საკუთარი გამოცდილება და გამოთქვა თანამშრომლობის მზადყოფნა; ისრაელის მხარემ "
                 "დაადასტურა სურვილი და მზადყოფნა, რომ გაფორმდეს ორმხრივი ხელშეკრულება "
                 "საქართველოსა და ისრაელს შორის."),
}
ISRAEL_FOLLOW_UPS = (
    "ხელშეკრულების პროექტის განხილვა",
    "დასაქმებისათვის კონკრეტული სფეროებისა და კვალიფიკაციების შესახებ ინფორმაციის გაცვლა",
)

POLAND_PILOT = {
    "code": "PL-IOM-PILOT",
    "name_ka": "ცირკულარული მიგრაციის პილოტური პროექტი პოლონეთში",
    "name_en": "Circular migration pilot project in Poland",
    "kind": "pilot", "partner": "PL", "status": "active",
    "partner_org": "მიგრაციის საერთაშორისო ორგანიზაცია (IOM)",
    "start_date": "2018-06-01",
    "description": ("ჩატარდა შრომის ბაზრის კვლევა პოლონეთში და შედგა პოლონეთის შრომის ბაზრებზე "
                    "მოთხოვნადი პროფესიების ჩამონათვალი; გამოვლენილი მოთხოვნების შესაბამისად "
                    "საქართველოში შეირჩა შესაბამისი კადრები. პოლონეთში უკვე დასაქმდა 40-ზე "
                    "მეტი საქართველოს მოქალაქე."),
}
# In-demand occupations from the pilot's labour-market study (ISCO-08, quota, language, level,
# minimum years, age range).
POLAND_DEMAND = (
    ("7212", 15, "pl", "a2", 2, 21, 50),   # welders
    ("8332", 12, "pl", "a2", 3, 23, 55),   # heavy truck drivers
    ("7115", 10, "pl", "a1", 2, 20, 50),   # carpenters
    ("7411", 8, "en", "a2", 3, 21, 50),    # building electricians
    ("5120", 10, "pl", "a1", 1, 20, 50),   # cooks
    ("9211", 30, None, None, 0, 18, 55),   # crop farm labourers
)
POLAND_EMPLOYERS = (
    "Stalbud Sp. z o.o.", "Transkom Logistyka Sp. z o.o.", "Drewmax Sp. z o.o.",
    "Elektro-Serwis Sp. z o.o.", "Gastro-Mazury Sp. z o.o.", "Sady Grójeckie Sp. z o.o.",
)
POLAND_PLACED = 42  # "more than 40 citizens employed"

EXPLORING = ("GR", "NO", "SE", "FI", "LT", "ES", "PT", "EE")
READY = ("EE", "HU", "PT")  # already express readiness to cooperate

BULGARIA = {
    "assessed_on": "2019",
    "decision": "not_advisable",
    "rationale": ("ბულგარეთის შრომის ბაზარი ამ ეტაპზე საქართველოს მოქალაქეებისათვის ნაკლებად "
                  "მიმზიდველია; ორმხრივი შეთანხმების გაფორმების საკითხი მოცემულ ეტაპზე "
                  "მიზანშეწონილად არ მიგვაჩნია. თავდაპირველად უკვე დაწყებული აქტივობები "
                  "მივიყვანოთ ბოლომდე."),
    "indicator": {"kind": "minimum_wage", "value": "286", "currency": "EUR", "unit": "month",
                  "as_of": "2019", "source_name": "countryeconomy.com",
                  "source_url": "https://countryeconomy.com/national-minimum-wage/bulgaria"},
}
