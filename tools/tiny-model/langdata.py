"""Entities and sentence templates in the 12 xlens languages.

Every entity (person, city, job, colour, year) has one rendering per language, so the
same fact can be written in any language (parallel data) and an answer copied from a
context in language A is always a verbatim substring of that context. Templates only use
the forms that keep names in the nominative (no genitive/declined names), and agree in
gender with the person (verbs in ar/hi/ru, job nouns, Greek articles).
"""

LANGS = ["ar", "de", "el", "en", "es", "hi", "ro", "ru", "th", "tr", "vi", "zh"]
LATIN = ["de", "en", "es", "ro", "tr", "vi"]
NO_SPACE = {"zh": "", "th": " "}  # sentence joiner; other languages use " "
KINDS = ["city", "job", "colour", "year"]

# gender, latin, el, ru, ar, hi, th, zh  (+ optional es override)
_PEOPLE = [
    ("f", "Maria", "Μαρία", "Мария", "ماريا", "मारिया", "มาเรีย", "玛丽亚", {"es": "María"}),
    ("f", "Anna", "Άννα", "Анна", "آنا", "अन्ना", "แอนนา", "安娜", {}),
    ("f", "Elena", "Έλενα", "Елена", "إيلينا", "एलेना", "เอเลนา", "埃莱娜", {}),
    ("f", "Sofia", "Σοφία", "София", "صوفيا", "सोफ़िया", "โซเฟีย", "索菲亚", {"es": "Sofía"}),
    ("f", "Laura", "Λάουρα", "Лаура", "لورا", "लौरा", "ลอรา", "劳拉", {}),
    ("f", "Julia", "Τζούλια", "Юлия", "جوليا", "जूलिया", "จูเลีย", "朱莉娅", {}),
    ("f", "Clara", "Κλάρα", "Клара", "كلارا", "क्लारा", "คลารา", "克拉拉", {}),
    ("f", "Sara", "Σάρα", "Сара", "سارة", "सारा", "ซารา", "萨拉", {}),
    ("f", "Nina", "Νίνα", "Нина", "نينا", "नीना", "นีนา", "妮娜", {}),
    ("f", "Olga", "Όλγα", "Ольга", "أولغا", "ओल्गा", "โอลกา", "奥尔加", {}),
    ("f", "Eva", "Εύα", "Ева", "إيفا", "ईवा", "อีวา", "伊娃", {}),
    ("f", "Lucia", "Λουκία", "Лючия", "لوسيا", "लूसिया", "ลูเซีย", "露西亚", {"es": "Lucía"}),
    ("f", "Irina", "Ιρίνα", "Ирина", "إيرينا", "इरीना", "อีรีนา", "伊琳娜", {}),
    ("f", "Emma", "Έμμα", "Эмма", "إيما", "एम्मा", "เอ็มมา", "艾玛", {}),
    ("f", "Diana", "Ντιάνα", "Диана", "ديانا", "डायना", "ไดอานา", "戴安娜", {}),
    ("f", "Vera", "Βέρα", "Вера", "فيرا", "वेरा", "เวรา", "薇拉", {}),
    ("f", "Lisa", "Λίζα", "Лиза", "ليزا", "लीसा", "ลิซา", "丽莎", {}),
    ("f", "Alina", "Αλίνα", "Алина", "ألينا", "अलीना", "อลีนา", "阿莉娜", {}),
    ("f", "Mira", "Μίρα", "Мира", "ميرا", "मीरा", "มีรา", "米拉", {}),
    ("f", "Lena", "Λένα", "Лена", "لينا", "लेना", "เลนา", "莱娜", {}),
    ("m", "Adam", "Άνταμ", "Адам", "آدم", "एडम", "อดัม", "亚当", {}),
    ("m", "Daniel", "Ντάνιελ", "Даниэль", "دانيال", "डेनियल", "แดเนียล", "丹尼尔", {}),
    ("m", "Martin", "Μάρτιν", "Мартин", "مارتن", "मार्टिन", "มาร์ติน", "马丁", {"es": "Martín"}),
    ("m", "Peter", "Πίτερ", "Питер", "بيتر", "पीटर", "ปีเตอร์", "彼得", {}),
    ("m", "Marco", "Μάρκο", "Марко", "ماركو", "मार्को", "มาร์โก", "马可", {}),
    ("m", "Omar", "Ομάρ", "Омар", "عمر", "उमर", "โอมาร์", "奥马尔", {}),
    ("m", "Ali", "Αλί", "Али", "علي", "अली", "อาลี", "阿里", {}),
    ("m", "Ivan", "Ιβάν", "Иван", "إيفان", "इवान", "อีวาน", "伊万", {"es": "Iván"}),
    ("m", "Leon", "Λέον", "Леон", "ليون", "लियोन", "เลออน", "莱昂", {"es": "León"}),
    ("m", "Thomas", "Τόμας", "Томас", "توماس", "थॉमस", "โทมัส", "托马斯", {"es": "Tomás"}),
    ("m", "Victor", "Βίκτορ", "Виктор", "فيكتور", "विक्टर", "วิกเตอร์", "维克多", {"es": "Víctor"}),
    ("m", "Karim", "Καρίμ", "Карим", "كريم", "करीम", "การีม", "卡里姆", {}),
    ("m", "Hans", "Χανς", "Ханс", "هانس", "हंस", "ฮันส์", "汉斯", {}),
    ("m", "Paul", "Πολ", "Пол", "بول", "पॉल", "พอล", "保罗", {}),
    ("m", "Igor", "Ίγκορ", "Игорь", "إيغور", "इगोर", "อีกอร์", "伊戈尔", {}),
    ("m", "Raj", "Ρατζ", "Радж", "راج", "राज", "ราช", "拉吉", {}),
    ("m", "Ahmed", "Αχμέτ", "Ахмед", "أحمد", "अहमद", "อาเหม็ด", "艾哈迈德", {}),
    ("m", "Luca", "Λούκα", "Лука", "لوكا", "लूका", "ลูกา", "卢卡", {}),
    ("m", "Nikos", "Νίκος", "Никос", "نيكوس", "निकोस", "นิโคส", "尼科斯", {}),
    ("m", "Felix", "Φέλιξ", "Феликс", "فيليكس", "फ़ेलिक्स", "เฟลิกซ์", "费利克斯", {"es": "Félix"}),
]


def _person(row):
    g, lat, el, ru, ar, hi, th, zh, over = row
    names = {l: lat for l in LATIN}
    names.update(el=el, ru=ru, ar=ar, hi=hi, th=th, zh=zh)
    names.update(over)
    return {"id": lat, "gender": g, "name": names}


PEOPLE = [_person(r) for r in _PEOPLE]

# en, de, es, ro, tr, vi, el, el-gender, ru, ar, hi, th, zh
_CITIES = [
    ("London", "London", "Londres", "Londra", "Londra", "Luân Đôn", "Λονδίνο", "n", "Лондон", "لندن", "लंदन", "ลอนดอน", "伦敦"),
    ("Paris", "Paris", "París", "Paris", "Paris", "Paris", "Παρίσι", "n", "Париж", "باريس", "पेरिस", "ปารีส", "巴黎"),
    ("Berlin", "Berlin", "Berlín", "Berlin", "Berlin", "Berlin", "Βερολίνο", "n", "Берлин", "برلين", "बर्लिन", "เบอร์ลิน", "柏林"),
    ("Madrid", "Madrid", "Madrid", "Madrid", "Madrid", "Madrid", "Μαδρίτη", "f", "Мадрид", "مدريد", "मैड्रिड", "มาดริด", "马德里"),
    ("Rome", "Rom", "Roma", "Roma", "Roma", "Roma", "Ρώμη", "f", "Рим", "روما", "रोम", "โรม", "罗马"),
    ("Tokyo", "Tokio", "Tokio", "Tokyo", "Tokyo", "Tokyo", "Τόκιο", "n", "Токио", "طوكيو", "टोक्यो", "โตเกียว", "东京"),
    ("Moscow", "Moskau", "Moscú", "Moscova", "Moskova", "Mát-xcơ-va", "Μόσχα", "f", "Москва", "موسكو", "मॉस्को", "มอสโก", "莫斯科"),
    ("Cairo", "Kairo", "El Cairo", "Cairo", "Kahire", "Cairo", "Κάιρο", "n", "Каир", "القاهرة", "काहिरा", "ไคโร", "开罗"),
    ("Athens", "Athen", "Atenas", "Atena", "Atina", "Athens", "Αθήνα", "f", "Афины", "أثينا", "एथेंस", "เอเธนส์", "雅典"),
    ("Istanbul", "Istanbul", "Estambul", "Istanbul", "İstanbul", "Istanbul", "Κωνσταντινούπολη", "f", "Стамбул", "إسطنبول", "इस्तांबुल", "อิสตันบูล", "伊斯坦布尔"),
    ("Bangkok", "Bangkok", "Bangkok", "Bangkok", "Bangkok", "Băng Cốc", "Μπανγκόκ", "f", "Бангкок", "بانكوك", "बैंकॉक", "กรุงเทพ", "曼谷"),
    ("Delhi", "Delhi", "Delhi", "Delhi", "Delhi", "Delhi", "Δελχί", "n", "Дели", "دلهي", "दिल्ली", "เดลี", "德里"),
    ("Beijing", "Peking", "Pekín", "Beijing", "Pekin", "Bắc Kinh", "Πεκίνο", "n", "Пекин", "بكين", "बीजिंग", "ปักกิ่ง", "北京"),
    ("Hanoi", "Hanoi", "Hanói", "Hanoi", "Hanoi", "Hà Nội", "Ανόι", "n", "Ханой", "هانوي", "हनोई", "ฮานอย", "河内"),
    ("Bucharest", "Bukarest", "Bucarest", "București", "Bükreş", "Bucharest", "Βουκουρέστι", "n", "Бухарест", "بوخارست", "बुखारेस्ट", "บูคาเรสต์", "布加勒斯特"),
    ("Vienna", "Wien", "Viena", "Viena", "Viyana", "Viên", "Βιέννη", "f", "Вена", "فيينا", "वियना", "เวียนนา", "维也纳"),
    ("Lisbon", "Lissabon", "Lisboa", "Lisabona", "Lizbon", "Lisboa", "Λισαβόνα", "f", "Лиссабон", "لشبونة", "लिस्बन", "ลิสบอน", "里斯本"),
    ("Prague", "Prag", "Praga", "Praga", "Prag", "Praha", "Πράγα", "f", "Прага", "براغ", "प्राग", "ปราก", "布拉格"),
    ("Warsaw", "Warschau", "Varsovia", "Varșovia", "Varşova", "Warszawa", "Βαρσοβία", "f", "Варшава", "وارسو", "वारसॉ", "วอร์ซอ", "华沙"),
    ("Dubai", "Dubai", "Dubái", "Dubai", "Dubai", "Dubai", "Ντουμπάι", "n", "Дубай", "دبي", "दुबई", "ดูไบ", "迪拜"),
    ("Sydney", "Sydney", "Sídney", "Sydney", "Sidney", "Sydney", "Σίδνεϊ", "n", "Сидней", "سيدني", "सिडनी", "ซิดนีย์", "悉尼"),
    ("Toronto", "Toronto", "Toronto", "Toronto", "Toronto", "Toronto", "Τορόντο", "n", "Торонто", "تورونتو", "टोरंटो", "โทรอนโต", "多伦多"),
    ("Seoul", "Seoul", "Seúl", "Seul", "Seul", "Seoul", "Σεούλ", "f", "Сеул", "سيول", "सियोल", "โซล", "首尔"),
    ("Mumbai", "Mumbai", "Bombay", "Mumbai", "Mumbai", "Mumbai", "Μουμπάι", "n", "Мумбаи", "مومباي", "मुंबई", "มุมไบ", "孟买"),
]
CITIES = []
for r in _CITIES:
    CITIES.append({"id": r[0], "el_gender": r[7], "form": dict(
        en=r[0], de=r[1], es=r[2], ro=r[3], tr=r[4], vi=r[5], el=r[6], ru=r[8], ar=r[9],
        hi=r[10], th=r[11], zh=r[12])})

# Jobs: per language either one form or (masculine, feminine). en entries carry the article.
_JOBS = [
    dict(id="doctor", en=("a", "doctor"), de=("Arzt", "Ärztin"), es=("médico", "médica"), ro="medic",
         tr="doktor", vi="bác sĩ", el="γιατρός", ru="врач", ar=("طبيب", "طبيبة"), hi="डॉक्टर",
         th="หมอ", zh="医生"),
    dict(id="teacher", en=("a", "teacher"), de=("Lehrer", "Lehrerin"), es=("profesor", "profesora"),
         ro=("profesor", "profesoară"), tr="öğretmen", vi="giáo viên", el=("δάσκαλος", "δασκάλα"),
         ru=("учитель", "учительница"), ar=("معلم", "معلمة"), hi=("शिक्षक", "शिक्षिका"), th="ครู", zh="老师"),
    dict(id="engineer", en=("an", "engineer"), de=("Ingenieur", "Ingenieurin"), es=("ingeniero", "ingeniera"),
         ro=("inginer", "ingineră"), tr="mühendis", vi="kỹ sư", el="μηχανικός", ru="инженер",
         ar=("مهندس", "مهندسة"), hi="इंजीनियर", th="วิศวกร", zh="工程师"),
    dict(id="lawyer", en=("a", "lawyer"), de=("Anwalt", "Anwältin"), es=("abogado", "abogada"),
         ro=("avocat", "avocată"), tr="avukat", vi="luật sư", el="δικηγόρος", ru="юрист",
         ar=("محام", "محامية"), hi="वकील", th="ทนายความ", zh="律师"),
    dict(id="nurse", en=("a", "nurse"), de=("Krankenpfleger", "Krankenschwester"), es=("enfermero", "enfermera"),
         ro=("asistent", "asistentă"), tr="hemşire", vi="y tá", el=("νοσοκόμος", "νοσοκόμα"),
         ru=("медбрат", "медсестра"), ar=("ممرض", "ممرضة"), hi="नर्स", th="พยาบาล", zh="护士"),
    dict(id="pilot", en=("a", "pilot"), de=("Pilot", "Pilotin"), es="piloto", ro="pilot", tr="pilot",
         vi="phi công", el="πιλότος", ru="пилот", ar=("طيار", "طيارة"), hi="पायलट", th="นักบิน", zh="飞行员"),
    dict(id="cook", en=("a", "cook"), de=("Koch", "Köchin"), es=("cocinero", "cocinera"),
         ro=("bucătar", "bucătăreasă"), tr="aşçı", vi="đầu bếp", el=("μάγειρας", "μαγείρισσα"),
         ru="повар", ar=("طباخ", "طباخة"), hi="शेफ़", th="เชฟ", zh="厨师"),
    dict(id="writer", en=("a", "writer"), de=("Schriftsteller", "Schriftstellerin"), es=("escritor", "escritora"),
         ro=("scriitor", "scriitoare"), tr="yazar", vi="nhà văn", el="συγγραφέας",
         ru=("писатель", "писательница"), ar=("كاتب", "كاتبة"), hi=("लेखक", "लेखिका"), th="นักเขียน", zh="作家"),
    dict(id="singer", en=("a", "singer"), de=("Sänger", "Sängerin"), es="cantante",
         ro=("cântăreț", "cântăreață"), tr="şarkıcı", vi="ca sĩ", el=("τραγουδιστής", "τραγουδίστρια"),
         ru=("певец", "певица"), ar=("مغن", "مغنية"), hi=("गायक", "गायिका"), th="นักร้อง", zh="歌手"),
    dict(id="farmer", en=("a", "farmer"), de=("Landwirt", "Landwirtin"), es=("agricultor", "agricultora"),
         ro=("fermier", "fermieră"), tr="çiftçi", vi="nông dân", el=("αγρότης", "αγρότισσα"),
         ru="фермер", ar=("مزارع", "مزارعة"), hi="किसान", th="ชาวนา", zh="农民"),
    dict(id="police officer", en=("a", "police officer"), de=("Polizist", "Polizistin"), es="policía",
         ro=("polițist", "polițistă"), tr="polis", vi="cảnh sát", el="αστυνομικός", ru="полицейский",
         ar=("شرطي", "شرطية"), hi="पुलिसकर्मी", th="ตำรวจ", zh="警察"),
    dict(id="driver", en=("a", "driver"), de=("Fahrer", "Fahrerin"), es=("conductor", "conductora"),
         ro=("șofer", "șoferiță"), tr="şoför", vi="tài xế", el="οδηγός", ru="водитель",
         ar=("سائق", "سائقة"), hi="ड्राइवर", th="คนขับรถ", zh="司机"),
    dict(id="architect", en=("an", "architect"), de=("Architekt", "Architektin"), es=("arquitecto", "arquitecta"),
         ro=("arhitect", "arhitectă"), tr="mimar", vi="kiến trúc sư", el="αρχιτέκτονας", ru="архитектор",
         ar=("مهندس معماري", "مهندسة معمارية"), hi="वास्तुकार", th="สถาปนิก", zh="建筑师"),
    dict(id="journalist", en=("a", "journalist"), de=("Journalist", "Journalistin"), es="periodista",
         ro=("jurnalist", "jurnalistă"), tr="gazeteci", vi="nhà báo", el="δημοσιογράφος",
         ru=("журналист", "журналистка"), ar=("صحفي", "صحفية"), hi="पत्रकार", th="นักข่าว", zh="记者"),
]
JOBS = _JOBS

# Colour of a car. de: (attributive neuter, predicative); ru: accusative feminine (машину);
# ar: feminine (سيارة); hi: feminine (कार); el: neuter (αυτοκίνητο); ro: feminine (mașină).
_COLOURS = [
    dict(id="red", en="red", de=("rotes", "rot"), es="rojo", ro="roșie", tr="kırmızı", vi="đỏ", el="κόκκινο",
         ru="красную", ar="حمراء", hi="लाल", th="แดง", zh="红色"),
    dict(id="blue", en="blue", de=("blaues", "blau"), es="azul", ro="albastră", tr="mavi", vi="xanh dương",
         el="μπλε", ru="синюю", ar="زرقاء", hi="नीली", th="น้ำเงิน", zh="蓝色"),
    dict(id="green", en="green", de=("grünes", "grün"), es="verde", ro="verde", tr="yeşil", vi="xanh lá",
         el="πράσινο", ru="зелёную", ar="خضراء", hi="हरी", th="เขียว", zh="绿色"),
    dict(id="yellow", en="yellow", de=("gelbes", "gelb"), es="amarillo", ro="galbenă", tr="sarı", vi="vàng",
         el="κίτρινο", ru="жёлтую", ar="صفراء", hi="पीली", th="เหลือง", zh="黄色"),
    dict(id="black", en="black", de=("schwarzes", "schwarz"), es="negro", ro="neagră", tr="siyah", vi="đen",
         el="μαύρο", ru="чёрную", ar="سوداء", hi="काली", th="ดำ", zh="黑色"),
    dict(id="white", en="white", de=("weißes", "weiß"), es="blanco", ro="albă", tr="beyaz", vi="trắng",
         el="άσπρο", ru="белую", ar="بيضاء", hi="सफ़ेद", th="ขาว", zh="白色"),
    dict(id="grey", en="grey", de=("graues", "grau"), es="gris", ro="gri", tr="gri", vi="xám", el="γκρι",
         ru="серую", ar="رمادية", hi="स्लेटी", th="เทา", zh="灰色"),
    dict(id="orange", en="orange", de=("orangefarbenes", "orange"), es="naranja", ro="portocalie",
         tr="turuncu", vi="cam", el="πορτοκαλί", ru="оранжевую", ar="برتقالية", hi="नारंगी", th="ส้ม", zh="橙色"),
    dict(id="brown", en="brown", de=("braunes", "braun"), es="marrón", ro="maro", tr="kahverengi", vi="nâu",
         el="καφέ", ru="коричневую", ar="بنية", hi="भूरी", th="น้ำตาล", zh="棕色"),
    dict(id="pink", en="pink", de=("rosa", "rosa"), es="rosa", ro="roz", tr="pembe", vi="hồng", el="ροζ",
         ru="розовую", ar="وردية", hi="गुलाबी", th="ชมพู", zh="粉色"),
    dict(id="purple", en="purple", de=("lila", "lila"), es="morado", ro="mov", tr="mor", vi="tím", el="μωβ",
         ru="фиолетовую", ar="بنفسجية", hi="बैंगनी", th="ม่วง", zh="紫色"),
]
COLOURS = _COLOURS
YEARS = list(range(1950, 2006))


def job_form(job, lang, gender):
    v = job[lang]
    if lang == "en":
        return v
    if isinstance(v, tuple):
        return v[0] if gender == "m" else v[1]
    return v


# ---------------------------------------------------------------- templates
# A context template returns (sentence, value_string); the value string occurs verbatim in
# the sentence exactly once at the marked place, and is the answer.
V = "\u0001"  # placeholder for the value; replaced after the sentence is built


def el_sti(word):
    """Greek σε + την: the final ν stays before a vowel and before κ π τ ξ ψ (γκ μπ ντ τσ τζ)."""
    w = word.lower()
    keep = w[0] in "αάεέηήιίοόυύωώκπτξψ" or w[:2] in ("γκ", "μπ", "ντ", "τσ", "τζ")
    return "στην" if keep else "στη"


def gsel(g, m, f):
    return m if g == "m" else f


def fact_sentence(lang, kind, person, value, variant):
    """Returns (sentence, answer) where answer is a substring of sentence (at the V mark)."""
    p = person["name"][lang]
    g = person["gender"]
    if kind == "city":
        v = value["form"][lang]
    elif kind == "job":
        v = job_form(value, lang, g)
    elif kind == "colour":
        v = value[lang]
    else:
        v = str(value)
    t = variant % 2
    s = None
    if lang == "en":
        if kind == "job":
            art, word = v
            v = word
        s = {
            "city": [f"{p} lives in {V}.", f"{p} lives in the city of {V}."],
            "job": [f"{p} is {art if kind == 'job' else ''} {V}.", f"{p} works as {art if kind == 'job' else ''} {V}."],
            "colour": [f"{p} drives a {V} car.", f"{p} has a {V} car."],
            "year": [f"{p} was born in {V}.", f"{p} was born in the year {V}."],
        }[kind][t]
    elif lang == "de":
        if kind == "colour":
            v = v[0] if t == 0 else v[1]
        s = {
            "city": [f"{p} wohnt in {V}.", f"{p} lebt in {V}."],
            "job": [f"{p} ist {V}.", f"{p} arbeitet als {V}."],
            "colour": [f"{p} fährt ein {V} Auto.", f"Das Auto von {p} ist {V}."],
            "year": [f"{p} wurde {V} geboren.", f"{p} ist im Jahr {V} geboren."],
        }[kind][t]
    elif lang == "es":
        s = {
            "city": [f"{p} vive en {V}.", f"{p} reside en {V}."],
            "job": [f"{p} es {V}.", f"{p} trabaja como {V}."],
            "colour": [f"{p} tiene un coche {V}.", f"{p} conduce un coche {V}."],
            "year": [f"{p} nació en {V}.", f"{p} nació en el año {V}."],
        }[kind][t]
    elif lang == "ro":
        s = {
            "city": [f"{p} locuiește în {V}.", f"{p} trăiește în {V}."],
            "job": [f"{p} este {V}.", f"{p} lucrează ca {V}."],
            "colour": [f"{p} conduce o mașină {V}.", f"{p} are o mașină {V}."],
            "year": [f"{p} s-a născut în {V}.", f"{p} s-a născut în anul {V}."],
        }[kind][t]
    elif lang == "tr":
        s = {
            "city": [f"{p} {V} şehrinde yaşıyor.", f"{p}, {V} şehrinde oturuyor."],
            "job": [f"{p} bir {V}.", f"{p} {V} olarak çalışıyor."],
            "colour": [f"{p} {V} bir araba kullanıyor.", f"{p} {V} bir araba sürüyor."],
            "year": [f"{p} {V} yılında doğdu.", f"{p} {V} doğumlu."],
        }[kind][t]
    elif lang == "vi":
        s = {
            "city": [f"{p} sống ở {V}.", f"{p} đang sống tại {V}."],
            "job": [f"{p} là một {V}.", f"{p} làm nghề {V}."],
            "colour": [f"{p} có một chiếc xe hơi màu {V}.", f"{p} lái một chiếc ô tô màu {V}."],
            "year": [f"{p} sinh năm {V}.", f"{p} sinh vào năm {V}."],
        }[kind][t]
    elif lang == "el":
        art = gsel(g, "Ο", "Η")
        if kind == "city":
            prep = "στο" if value["el_gender"] == "n" else el_sti(value["form"]["el"])
        else:
            prep = ""
        s = {
            "city": [f"{art} {p} μένει {prep} {V}.", f"{art} {p} ζει {prep} {V}."],
            "job": [f"{art} {p} είναι {V}.", f"{art} {p} δουλεύει ως {V}."],
            "colour": [f"{art} {p} οδηγεί ένα {V} αυτοκίνητο.", f"{art} {p} έχει ένα {V} αυτοκίνητο."],
            "year": [f"{art} {p} γεννήθηκε το {V}.", f"{art} {p} γεννήθηκε το έτος {V}."],
        }[kind][t]
    elif lang == "ru":
        s = {
            "city": [f"{p} живёт в городе {V}.", f"{p} проживает в городе {V}."],
            "job": [f"{p} — {V}.", f"{p} по профессии {V}."],
            "colour": [f"{p} водит {V} машину.", f"{p} {gsel(g, 'купил', 'купила')} {V} машину."],
            "year": [f"{p} {gsel(g, 'родился', 'родилась')} в {V} году.",
                     f"{p} {gsel(g, 'появился', 'появилась')} на свет в {V} году."],
        }[kind][t]
    elif lang == "ar":
        s = {
            "city": [f"{gsel(g, 'يعيش', 'تعيش')} {p} في {V}.", f"{p} {gsel(g, 'يسكن', 'تسكن')} في {V}."],
            "job": [f"{p} {V}.", f"{gsel(g, 'يعمل', 'تعمل')} {p} {V}."],
            "colour": [f"سيارة {p} {V}.", f"{gsel(g, 'يقود', 'تقود')} {p} سيارة {V}."],
            "year": [f"{gsel(g, 'ولد', 'ولدت')} {p} عام {V}.", f"{gsel(g, 'ولد', 'ولدت')} {p} في عام {V}."],
        }[kind][t]
    elif lang == "hi":
        s = {
            "city": [f"{p} {V} में {gsel(g, 'रहता', 'रहती')} है।", f"{p} {V} शहर में {gsel(g, 'रहता', 'रहती')} है।"],
            "job": [f"{p} एक {V} है।", f"{p} {V} के रूप में काम {gsel(g, 'करता', 'करती')} है।"],
            "colour": [f"{p} के पास एक {V} कार है।", f"{p} {V} कार {gsel(g, 'चलाता', 'चलाती')} है।"],
            "year": [f"{p} का जन्म {V} में हुआ था।", f"{p} का जन्म वर्ष {V} में हुआ था।"],
        }[kind][t]
    elif lang == "th":
        s = {
            "city": [f"{p}อาศัยอยู่ที่{V}", f"{p}อาศัยอยู่ในเมือง{V}"],
            "job": [f"{p}เป็น{V}", f"{p}ทำงานเป็น{V}"],
            "colour": [f"{p}ขับรถสี{V}", f"{p}มีรถยนต์สี{V}"],
            "year": [f"{p}เกิดในปี {V}", f"{p}เกิดเมื่อปี {V}"],
        }[kind][t]
    elif lang == "zh":
        s = {
            "city": [f"{p}住在{V}。", f"{p}生活在{V}。"],
            "job": [f"{p}是一名{V}。", f"{p}的职业是{V}。"],
            "colour": [f"{p}开一辆{V}的车。", f"{p}的车是{V}的。"],
            "year": [f"{p}出生于{V}年。", f"{p}是{V}年出生的。"],
        }[kind][t]
    assert s is not None and s.count(V) == 1, (lang, kind)
    return s, v


def question(lang, kind, person, variant):
    p = person["name"][lang]
    g = person["gender"]
    t = variant % 2
    if lang == "en":
        return {"city": [f"Where does {p} live?", f"In which city does {p} live?"],
                "job": [f"What is {p}'s job?", f"What does {p} do for a living?"],
                "colour": [f"What colour is {p}'s car?", f"What is the colour of {p}'s car?"],
                "year": [f"In which year was {p} born?", f"When was {p} born?"]}[kind][t]
    if lang == "de":
        return {"city": [f"Wo wohnt {p}?", f"In welcher Stadt lebt {p}?"],
                "job": [f"Was ist {p} von Beruf?", f"Als was arbeitet {p}?"],
                "colour": [f"Welche Farbe hat das Auto von {p}?", f"Welche Farbe hat das Auto, das {p} fährt?"],
                "year": [f"In welchem Jahr wurde {p} geboren?", f"Wann wurde {p} geboren?"]}[kind][t]
    if lang == "es":
        return {"city": [f"¿Dónde vive {p}?", f"¿En qué ciudad vive {p}?"],
                "job": [f"¿A qué se dedica {p}?", f"¿Cuál es la profesión de {p}?"],
                "colour": [f"¿De qué color es el coche de {p}?", f"¿Qué color tiene el coche de {p}?"],
                "year": [f"¿En qué año nació {p}?", f"¿Cuándo nació {p}?"]}[kind][t]
    if lang == "ro":
        return {"city": [f"Unde locuiește {p}?", f"În ce oraș locuiește {p}?"],
                "job": [f"Ce meserie are {p}?", f"Cu ce se ocupă {p}?"],
                "colour": [f"De ce culoare este mașina pe care o are {p}?", f"Ce culoare are mașina pe care o conduce {p}?"],
                "year": [f"În ce an s-a născut {p}?", f"Când s-a născut {p}?"]}[kind][t]
    if lang == "tr":
        return {"city": [f"{p} nerede yaşıyor?", f"{p} hangi şehirde yaşıyor?"],
                "job": [f"{p} ne iş yapıyor?", f"{p} hangi meslekte çalışıyor?"],
                "colour": [f"{p} ne renk bir araba kullanıyor?", f"{p} hangi renk bir araba sürüyor?"],
                "year": [f"{p} hangi yılda doğdu?", f"{p} ne zaman doğdu?"]}[kind][t]
    if lang == "vi":
        return {"city": [f"{p} sống ở đâu?", f"{p} sống ở thành phố nào?"],
                "job": [f"{p} làm nghề gì?", f"Nghề nghiệp của {p} là gì?"],
                "colour": [f"Xe của {p} màu gì?", f"Chiếc xe của {p} có màu gì?"],
                "year": [f"{p} sinh năm nào?", f"{p} sinh vào năm nào?"]}[kind][t]
    if lang == "el":
        a = gsel(g, "ο", "η")
        return {"city": [f"Πού μένει {a} {p};", f"Σε ποια πόλη ζει {a} {p};"],
                "job": [f"Τι δουλειά κάνει {a} {p};", f"Με τι ασχολείται {a} {p};"],
                "colour": [f"Τι χρώμα είναι το αυτοκίνητο που οδηγεί {a} {p};", f"Τι χρώμα αυτοκίνητο έχει {a} {p};"],
                "year": [f"Ποια χρονιά γεννήθηκε {a} {p};", f"Πότε γεννήθηκε {a} {p};"]}[kind][t]
    if lang == "ru":
        return {"city": [f"Где живёт {p}?", f"В каком городе живёт {p}?"],
                "job": [f"Кто {p} по профессии?", f"Кем работает {p}?"],
                "colour": [f"Какого цвета машину водит {p}?", f"Какого цвета машина, на которой ездит {p}?"],
                "year": [f"В каком году {gsel(g, 'родился', 'родилась')} {p}?",
                         f"Когда {gsel(g, 'родился', 'родилась')} {p}?"]}[kind][t]
    if lang == "ar":
        return {"city": [f"أين {gsel(g, 'يعيش', 'تعيش')} {p}؟", f"في أي مدينة {gsel(g, 'يسكن', 'تسكن')} {p}؟"],
                "job": [f"ما مهنة {p}؟", f"ماذا {gsel(g, 'يعمل', 'تعمل')} {p}؟"],
                "colour": [f"ما لون سيارة {p}؟", f"ما لون السيارة التي {gsel(g, 'يقودها', 'تقودها')} {p}؟"],
                "year": [f"في أي عام {gsel(g, 'ولد', 'ولدت')} {p}؟", f"متى {gsel(g, 'ولد', 'ولدت')} {p}؟"]}[kind][t]
    if lang == "hi":
        return {"city": [f"{p} कहाँ {gsel(g, 'रहता', 'रहती')} है?", f"{p} किस शहर में {gsel(g, 'रहता', 'रहती')} है?"],
                "job": [f"{p} क्या काम {gsel(g, 'करता', 'करती')} है?", f"{p} का पेशा क्या है?"],
                "colour": [f"{p} की कार किस रंग की है?", f"{p} किस रंग की कार {gsel(g, 'चलाता', 'चलाती')} है?"],
                "year": [f"{p} का जन्म किस साल हुआ था?", f"{p} का जन्म कब हुआ था?"]}[kind][t]
    if lang == "th":
        return {"city": [f"{p}อาศัยอยู่ที่ไหน", f"{p}อาศัยอยู่ในเมืองอะไร"],
                "job": [f"{p}ทำงานอะไร", f"{p}มีอาชีพอะไร"],
                "colour": [f"รถของ{p}สีอะไร", f"{p}ขับรถสีอะไร"],
                "year": [f"{p}เกิดปีอะไร", f"{p}เกิดในปีไหน"]}[kind][t]
    if lang == "zh":
        return {"city": [f"{p}住在哪里？", f"{p}住在哪个城市？"],
                "job": [f"{p}做什么工作？", f"{p}的职业是什么？"],
                "colour": [f"{p}的车是什么颜色的？", f"{p}开什么颜色的车？"],
                "year": [f"{p}是哪一年出生的？", f"{p}出生于哪一年？"]}[kind][t]
    raise ValueError(lang)


def value_id(kind, value):
    return str(value) if kind == "year" else value["id"]


def pools(kind):
    return {"city": CITIES, "job": JOBS, "colour": COLOURS, "year": YEARS}[kind]
