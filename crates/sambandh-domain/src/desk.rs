//! The service desk's messages to customers, in English, Hindi, Tamil and Gujarati: the
//! acknowledgement that makes the promise, the envelope of a staff reply, the
//! satisfaction survey, and a few canned replies staff start from. They are ordinary
//! message templates (`message_templates`), edited and previewed like the greetings'.
//!
//! Variables: `salutation`, `name`, `organisation`, `number` (the ticket's number),
//! `subject`, `promise` (the due instant written in the customer's language and the
//! branch's zone), `text` (the staff member's reply), `sender` (who signs), and
//! `survey_url`.

/// The template keys the desk uses.
pub const ACKNOWLEDGEMENT_TEMPLATE: &str = "ticket_acknowledgement";
pub const REPLY_TEMPLATE: &str = "ticket_reply";
pub const SURVEY_TEMPLATE: &str = "ticket_survey";
/// Canned replies are templates whose key starts with this.
pub const CANNED_PREFIX: &str = "canned:";

/// `(key, language, subject, body)`.
pub const DESK_TEMPLATES: [(&str, &str, &str, &str); 20] = [
    (
        ACKNOWLEDGEMENT_TEMPLATE,
        "en",
        "We have your message: {{ subject }} [#{{ number }}]",
        "{{ salutation }},\n\nThank you for writing to {{ organisation }}. Your request is number {{ number }}, and you will have our answer by {{ promise }}.\n\nYou need not write again; just reply to this e-mail if there is anything to add.\n\nWith regards,\n{{ organisation }}",
    ),
    (
        ACKNOWLEDGEMENT_TEMPLATE,
        "hi",
        "आपका संदेश मिल गया है: {{ subject }} [#{{ number }}]",
        "{{ salutation }},\n\n{{ organisation }} को लिखने के लिए धन्यवाद। आपके अनुरोध की संख्या {{ number }} है, और आपको हमारा उत्तर {{ promise }} तक मिल जाएगा।\n\nकुछ और जोड़ना हो तो बस इसी ई-मेल का उत्तर दें।\n\nसादर,\n{{ organisation }}",
    ),
    (
        ACKNOWLEDGEMENT_TEMPLATE,
        "ta",
        "உங்கள் செய்தி கிடைத்தது: {{ subject }} [#{{ number }}]",
        "{{ salutation }},\n\n{{ organisation }}க்கு எழுதியதற்கு நன்றி. உங்கள் கோரிக்கையின் எண் {{ number }}. {{ promise }}க்குள் எங்கள் பதில் உங்களுக்குக் கிடைக்கும்.\n\nமேலும் ஏதேனும் சேர்க்க வேண்டுமெனில் இந்த மின்னஞ்சலுக்கே பதில் அனுப்புங்கள்.\n\nஅன்புடன்,\n{{ organisation }}",
    ),
    (
        ACKNOWLEDGEMENT_TEMPLATE,
        "gu",
        "આપનો સંદેશ મળ્યો છે: {{ subject }} [#{{ number }}]",
        "{{ salutation }},\n\n{{ organisation }}ને લખવા બદલ આભાર. આપની વિનંતીનો નંબર {{ number }} છે, અને આપને અમારો જવાબ {{ promise }} સુધીમાં મળી જશે.\n\nકંઈ ઉમેરવું હોય તો આ જ ઈ-મેલનો જવાબ આપો.\n\nઆભાર સહ,\n{{ organisation }}",
    ),
    (
        REPLY_TEMPLATE,
        "en",
        "{{ subject }}",
        "{{ salutation }},\n\n{{ text }}\n\nWith regards,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        REPLY_TEMPLATE,
        "hi",
        "{{ subject }}",
        "{{ salutation }},\n\n{{ text }}\n\nसादर,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        REPLY_TEMPLATE,
        "ta",
        "{{ subject }}",
        "{{ salutation }},\n\n{{ text }}\n\nஅன்புடன்,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        REPLY_TEMPLATE,
        "gu",
        "{{ subject }}",
        "{{ salutation }},\n\n{{ text }}\n\nઆભાર સહ,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        SURVEY_TEMPLATE,
        "en",
        "How did we do? [#{{ number }}]",
        "{{ salutation }},\n\nYour request {{ number }} ({{ subject }}) is resolved. How satisfied are you with our help, from 1 (not at all) to 5 (very)? One click is enough:\n\n{{ survey_url }}\n\nWith regards,\n{{ organisation }}",
    ),
    (
        SURVEY_TEMPLATE,
        "hi",
        "हमारी सेवा कैसी रही? [#{{ number }}]",
        "{{ salutation }},\n\nआपका अनुरोध {{ number }} ({{ subject }}) हल हो गया है। हमारी सहायता से आप कितने संतुष्ट हैं, 1 (बिल्कुल नहीं) से 5 (बहुत) तक? एक क्लिक काफ़ी है:\n\n{{ survey_url }}\n\nसादर,\n{{ organisation }}",
    ),
    (
        SURVEY_TEMPLATE,
        "ta",
        "எங்கள் சேவை எப்படி இருந்தது? [#{{ number }}]",
        "{{ salutation }},\n\nஉங்கள் கோரிக்கை {{ number }} ({{ subject }}) தீர்க்கப்பட்டது. எங்கள் உதவியில் நீங்கள் எவ்வளவு திருப்தி அடைந்தீர்கள், 1 (இல்லவே இல்லை) முதல் 5 (மிகவும்) வரை? ஒரு சொடுக்கு போதும்:\n\n{{ survey_url }}\n\nஅன்புடன்,\n{{ organisation }}",
    ),
    (
        SURVEY_TEMPLATE,
        "gu",
        "અમારી સેવા કેવી રહી? [#{{ number }}]",
        "{{ salutation }},\n\nઆપની વિનંતી {{ number }} ({{ subject }}) ઉકેલાઈ ગઈ છે. અમારી મદદથી આપ કેટલા સંતુષ્ટ છો, 1 (જરાય નહીં) થી 5 (ખૂબ) સુધી? એક ક્લિક પૂરતી છે:\n\n{{ survey_url }}\n\nઆભાર સહ,\n{{ organisation }}",
    ),
    (
        "canned:need_details",
        "en",
        "A few details, please",
        "To look into this, could you please send us your order number and the phone number you ordered with?",
    ),
    (
        "canned:need_details",
        "hi",
        "कृपया कुछ जानकारी दें",
        "इसे देखने के लिए कृपया अपना ऑर्डर नंबर और वह फ़ोन नंबर भेजें जिससे आपने ऑर्डर किया था।",
    ),
    (
        "canned:need_details",
        "ta",
        "சில விவரங்கள் தேவை",
        "இதைப் பார்க்க, உங்கள் ஆர்டர் எண்ணையும் ஆர்டர் செய்த தொலைபேசி எண்ணையும் அனுப்ப முடியுமா?",
    ),
    (
        "canned:need_details",
        "gu",
        "થોડી વિગતો મોકલશો",
        "આ જોવા માટે કૃપા કરીને આપનો ઓર્ડર નંબર અને જે ફોન નંબરથી ઓર્ડર કર્યો હતો તે મોકલો.",
    ),
    (
        "canned:resolved",
        "en",
        "Resolved",
        "We have sorted this out. If anything is still not right, just reply and we will look again.",
    ),
    (
        "canned:resolved",
        "hi",
        "समाधान हो गया",
        "हमने यह ठीक कर दिया है। अगर अब भी कुछ ठीक न हो, तो बस उत्तर दें, हम फिर से देखेंगे।",
    ),
    (
        "canned:resolved",
        "ta",
        "தீர்க்கப்பட்டது",
        "இதைச் சரிசெய்துவிட்டோம். இன்னும் ஏதேனும் சரியில்லை என்றால் பதில் அனுப்புங்கள், மீண்டும் பார்க்கிறோம்.",
    ),
    ("canned:resolved", "gu", "ઉકેલ આવી ગયો", "અમે આ ઠીક કરી દીધું છે. હજુ કંઈ બરાબર ન હોય તો જવાબ આપો, અમે ફરી જોઈશું."),
];
