package dev.chathistory.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic, synthetic bot conversations whose bytes behave like real chat history under a
 * compressor: word frequencies follow Zipf's law, user lines are short and untidy (typos, emoji,
 * lowercase, the odd URL with a random token), bot answers are long markdown with lists and code,
 * some chats are German, Spanish or Russian, ids are ULIDs (a shared time prefix, then 80 random
 * bits) and about 5% of messages carry one or two earlier versions. The same seed always gives
 * the same chats, so runs compare like with like.
 */
public final class ChatTextGenerator {

    private static final Language ENGLISH = new Language("en", Vocabulary.of(
            // Single words in rough order of frequency in chats with an assistant ...
            "the to I you a and it is of that in for this can what do my be on with not have are just "
                    + "so but how me if your we get like use an at or was will there it's don't from about would "
                    + "know one need want all as by can't any some make out up should when now then here also work "
                    + "try which more time they them see yes no thanks please help good way because file code error "
                    + "does did could much really think new first other set run thing again only still well even "
                    + "back into over after before been has had than very too most where why who our their us these "
                    + "those going go let's show tell give find look check add change call read write send start stop "
                    + "open close fix update version data list table name value text line page user message number "
                    + "day week today tomorrow yesterday year month hour minute right sure okay maybe probably "
                    + "actually though already never always sometimes something anything nothing everything someone "
                    + "people person problem question answer idea example reason case part point place system server "
                    + "database query function method class object string array field key request response api app "
                    + "test build deploy config setting option account email password link image video phone order "
                    + "price money pay free plan trip flight hotel city home house car food dinner lunch coffee "
                    + "recipe weather rain cold hot book movie song game team meeting project task deadline report "
                    + "document note learn explain understand translate summary rewrite short long better best great "
                    + "nice cool interesting simple easy hard wrong correct different same small big large old recent "
                    + "last next few many each every both either between without within during while until since "
                    + "through around",
            // ... and the phrases that make real text repeat itself more than independent words would.
            "I think|you can|let me know|do you|how to|is there a way to|for example|in the|on the|of the|"
                    + "to the|make sure|as well|at least|instead of|thank you|by the way|I mean|kind of|"
                    + "it looks like|the same|you need to|if you want"),
            split("hi|hello|hey|hey there|good morning|yo|hi again"),
            split("thanks|thank you!|thx|perfect, thanks|ok|got it|cool|makes sense|great, that worked|nice"),
            split("how do I|what is|can you|why does|is it possible to|what's the best way to|could you|"
                    + "how can I|where do I|should I"),
            split("Sure!|Good question.|Here's how you can do it:|Of course.|Let me explain.|Great question!|"
                    + "Happy to help.|Absolutely."),
            split("Let me know if you have any other questions!|Hope this helps!|"
                    + "Want me to go into more detail on any of these?|Feel free to ask if anything is unclear."));

    private static final Language GERMAN = new Language("de", Vocabulary.of(
            "ich du der die das und ist nicht ein eine zu es mit wie was auf für sie wir kann bitte danke ja "
                    + "nein auch noch mal schon gut aber oder wenn dann hier heute morgen gestern Zeit Frage Antwort "
                    + "Problem Datei Fehler wieder machen haben sein gibt wo warum wer weiß genau vielleicht "
                    + "eigentlich super klar Hilfe brauche möchte können sollte müssen über nach bei vom zum Woche "
                    + "Tag Stunde Minute Essen Wetter Reise Termin Arbeit Projekt Größe schön früh später",
            "ich glaube|kannst du|wie kann ich|zum Beispiel|in der|auf dem|vielen Dank|gibt es"),
            split("hallo|hi|guten Morgen|moin|servus|hey"),
            split("danke|danke dir!|super, danke|ok|alles klar|passt"),
            split("wie kann ich|was ist|kannst du|warum|gibt es eine Möglichkeit|wie mache ich"),
            split("Gerne!|Klar.|Gute Frage.|Natürlich."),
            split("Ich hoffe, das hilft!|Sag Bescheid, wenn du noch Fragen hast."));

    private static final Language SPANISH = new Language("es", Vocabulary.of(
            "el la de que y a en un una es no por con para los las lo se me mi tu como pero más muy bien sí "
                    + "gracias hola qué cómo cuándo dónde porque también ya hay puedo puedes quiero necesito hacer "
                    + "tiempo día hoy mañana ayer semana problema pregunta respuesta archivo error ayuda trabajo casa "
                    + "comida viaje reunión proyecto bueno claro vale año niño después",
            "por ejemplo|en el|de la|muchas gracias|creo que|se puede|tienes que"),
            split("hola|buenos días|buenas|hola de nuevo"),
            split("gracias|muchas gracias|vale|perfecto|genial, gracias|ok"),
            split("cómo puedo|qué es|puedes|por qué|hay alguna forma de|cómo se"),
            split("¡Claro!|Por supuesto.|Buena pregunta.|¡Con gusto!"),
            split("¡Espero que te ayude!|Si tienes más preguntas, dime."));

    private static final Language RUSSIAN = new Language("ru", Vocabulary.of(
            "и в не на я что с он как а то это по но ты мне да нет спасибо пожалуйста привет можно нужно надо "
                    + "где когда почему сегодня завтра вчера время день неделя вопрос ответ проблема файл ошибка "
                    + "помощь работа дом еда погода поездка встреча проект хорошо понятно конечно просто ещё уже "
                    + "очень тоже сделать есть может будет было код данные сервер",
            "я думаю|как сделать|например|в этом|у меня|не работает|можно ли"),
            split("привет|здравствуйте|добрый день|хай"),
            split("спасибо|спс|понял|ок|отлично, спасибо|супер"),
            split("как|что такое|можешь|почему|как можно|где найти"),
            split("Конечно!|Хороший вопрос.|Да, вот как это сделать:|Сейчас объясню."),
            split("Надеюсь, это поможет!|Если будут вопросы, пишите."));

    private static final String[] EMOJI = split("😀|😂|👍|🙏|❤️|🔥|🤔|😅|🎉|✅|😭|🙂|👀|💯");
    private static final String[] DOMAINS = split("github.com|stackoverflow.com/questions|docs.python.org/3/library|"
            + "www.youtube.com/watch?v=|en.wikipedia.org/wiki|medium.com/@dev|maps.app.goo.gl|www.booking.com/hotel");
    private static final String[] BOT_NAMES = split("assistant|helper|gpt-bot|support|concierge");

    /** Snippets bots quote; {a} and {b} become identifiers and {n} a number, so no two are equal. */
    private static final String[][] CODE = {
            {"python", "def {a}({b}):\n    result = []\n    for item in {b}:\n        if item > {n}:\n"
                    + "            result.append(item)\n    return result\n\nprint({a}([1, 2, {n}]))"},
            {"java", "public List<String> {a}(List<String> {b}) {\n    return {b}.stream()\n"
                    + "            .filter(s -> s.length() > {n})\n            .collect(Collectors.toList());\n}"},
            {"bash", "for f in *.{a}; do\n  echo \"processing $f\"\n  mv \"$f\" \"{b}_${f}\"\ndone"},
            {"sql", "SELECT {a}, COUNT(*) AS total\nFROM {b}\nWHERE created_at > NOW() - INTERVAL '{n} days'\n"
                    + "GROUP BY {a}\nORDER BY total DESC;"},
            {"json", "{\n  \"{a}\": {n},\n  \"{b}\": true,\n  \"tags\": [\"{a}\", \"{b}\"]\n}"},
            {"javascript", "const {a} = async ({b}) => {\n  const res = await fetch(`/api/{a}/${{b}}`);\n"
                    + "  if (!res.ok) throw new Error(`failed: ${res.status}`);\n  return res.json();\n};"},
    };

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    /** 2025-01-01T00:00:00Z: chats start within the year and a bit after it. */
    private static final long EPOCH_MILLIS = 1_735_689_600_000L;

    private final Random random;

    public ChatTextGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** One new chat with its own users, language and start time, {@code count} messages long. */
    public List<ArchivedMessage> chat(int count) {
        Chat chat = newChat();
        List<ArchivedMessage> messages = new ArrayList<>(count);
        long now = EPOCH_MILLIS + (long) (random.nextDouble() * 400 * 86_400_000L);
        boolean botsTurn = false;
        boolean newSession = true;
        List<String> topic = chat.language.vocabulary.topic(random);
        while (messages.size() < count) {
            String userId;
            String text;
            if (botsTurn) {
                userId = chat.botId;
                text = botAnswer(chat.language, topic);
                now += 1_500 + random.nextInt(2_000) + text.length() * 15L; // longer answers take longer
                botsTurn = false;
            } else {
                if (!messages.isEmpty()) {
                    double gap = random.nextDouble();
                    if (gap < 0.04) {
                        now += 86_400_000L + random.nextInt(5 * 86_400_000); // back days later
                        newSession = true;
                    } else {
                        now += gap < 0.75 ? 5_000 + random.nextInt(300_000) : 300_000 + random.nextInt(10_800_000);
                    }
                }
                User user = chat.users[random.nextInt(chat.users.length)];
                userId = user.id;
                if (!newSession && random.nextDouble() < 0.3) {
                    topic = chat.language.vocabulary.topic(random); // users change the subject
                }
                text = userMessage(chat, user, topic, newSession);
                newSession = false;
                // In group chats people talk among themselves; elsewhere nearly every line gets an answer.
                botsTurn = random.nextDouble() < (chat.users.length > 1 ? 0.45 : 0.92);
            }
            messages.add(withHistory(chat, userId, userId.equals(chat.botId), text, now));
        }
        return messages;
    }

    private Chat newChat() {
        double roll = random.nextDouble();
        Language language = roll < 0.70 ? ENGLISH : roll < 0.80 ? GERMAN : roll < 0.90 ? SPANISH : RUSSIAN;
        double platform = random.nextDouble();
        String source;
        String chatId;
        if (platform < 0.6) {
            source = "telegram";
            chatId = "tg-" + (100_000 + random.nextInt(900_000_000));
        } else if (platform < 0.85) {
            source = "discord";
            chatId = "dc-" + (1_000_000_000_000_000L + (long) (random.nextDouble() * 8e17));
        } else {
            source = "web";
            chatId = "web-" + Integer.toHexString(random.nextInt());
        }
        int people = random.nextDouble() < 0.8 ? 1 : 2 + random.nextInt(5);
        User[] users = new User[people];
        for (int i = 0; i < people; i++) {
            users[i] = new User("user-" + (1_000 + random.nextInt(99_000)), random.nextDouble() < 0.6,
                    random.nextDouble() * 0.04, random.nextDouble() * 0.3);
        }
        ObjectNode metadata = Json.object().put("lang", language.code).put("source", source);
        return new Chat(chatId, "bot-" + pick(BOT_NAMES), users, language, metadata);
    }

    private String userMessage(Chat chat, User user, List<String> topic, boolean newSession) {
        // Now and then someone writes in English although the chat is in another language.
        Language lang = random.nextDouble() < 0.05 ? ENGLISH : chat.language;
        double kind = random.nextDouble();
        StringBuilder text = new StringBuilder();
        if (newSession || kind < 0.05) {
            text.append(pick(lang.greetings));
            if (random.nextBoolean()) {
                text.append(random.nextBoolean() ? ", " : "! ").append(question(lang, topic));
            }
        } else if (kind < 0.55) {
            text.append(question(lang, topic));
        } else if (kind < 0.82) {
            text.append(words(lang, topic, 3 + (int) Math.min(40, Math.abs(random.nextGaussian()) * 10)));
        } else if (kind < 0.97) {
            text.append(pick(lang.thanks));
        } else {
            // A pasted snippet or a long complaint: the rare user message that is as long as an answer.
            text.append(words(lang, topic, 40 + random.nextInt(100)));
            if (random.nextBoolean()) {
                text.append(":\n\n").append(codeBlock());
            }
        }
        String line = user.lowercase ? text.toString().toLowerCase(Locale.ROOT) : text.toString();
        line = typos(line, user.typoRate);
        if (random.nextDouble() < 0.05) {
            line += " " + url(); // pasted, so neither lowercased nor mistyped
        }
        if (random.nextDouble() < user.emojiRate) {
            line += " " + pick(EMOJI);
        }
        return line;
    }

    private String question(Language lang, List<String> topic) {
        return pick(lang.questionStarts) + " " + words(lang, topic, 2 + random.nextInt(10))
                + (random.nextDouble() < 0.2 ? "??" : "?");
    }

    /** Short replies, explanations with lists, and long answers with headings and code. */
    private String botAnswer(Language lang, List<String> topic) {
        StringBuilder text = new StringBuilder(pick(lang.openers));
        double kind = random.nextDouble();
        if (kind < 0.25) {
            return text.append(' ').append(sentence(lang, topic)).toString();
        }
        boolean longAnswer = kind > 0.75;
        int paragraphs = longAnswer ? 2 + random.nextInt(4) : 1 + random.nextInt(2);
        for (int p = 0; p < paragraphs; p++) {
            text.append("\n\n");
            if (longAnswer && p > 0 && random.nextDouble() < 0.4) {
                text.append("### ").append(capitalise(words(lang, topic, 2 + random.nextInt(4)))).append("\n\n");
            }
            for (int s = 1 + random.nextInt(4); s > 0; s--) {
                text.append(sentence(lang, topic)).append(s > 1 ? " " : "");
            }
            if (random.nextDouble() < 0.4) {
                text.append("\n\n").append(list(lang, topic));
            }
            if (longAnswer && random.nextDouble() < 0.2) {
                text.append("\n\n").append(codeBlock());
            }
        }
        if (random.nextDouble() < 0.6) {
            text.append("\n\n").append(pick(lang.closers));
        }
        return text.toString();
    }

    private String list(Language lang, List<String> topic) {
        boolean numbered = random.nextBoolean();
        StringBuilder list = new StringBuilder();
        int items = 3 + random.nextInt(4);
        for (int i = 1; i <= items; i++) {
            list.append(numbered ? i + ". " : "- ");
            if (random.nextBoolean()) {
                list.append("**").append(capitalise(words(lang, topic, 1 + random.nextInt(3)))).append("**: ");
            }
            list.append(sentence(lang, topic)).append(i < items ? "\n" : "");
        }
        return list.toString();
    }

    private String codeBlock() {
        String[] snippet = CODE[random.nextInt(CODE.length)];
        String body = snippet[1]
                .replace("{a}", identifier())
                .replace("{b}", identifier())
                .replace("{n}", Integer.toString(random.nextInt(1000)));
        return "```" + snippet[0] + "\n" + body + "\n```";
    }

    private String identifier() {
        List<String> parts = ENGLISH.vocabulary.topic(random);
        // Contractions ("can't") are content words too; an identifier keeps only the letters.
        return (parts.get(0) + "_" + parts.get(1)).toLowerCase(Locale.ROOT).replaceAll("[^a-z_]", "");
    }

    private String sentence(Language lang, List<String> topic) {
        String body = words(lang, topic, 6 + random.nextInt(17));
        if (random.nextDouble() < 0.15) {
            body += " `" + identifier() + "`";
        }
        return capitalise(body) + (random.nextDouble() < 0.1 ? "!" : ".");
    }

    /**
     * Zipf-distributed words, with the current topic mixed in because a conversation keeps
     * returning to what it is about; that repetition is a large part of what compressors find.
     */
    private String words(Language lang, List<String> topic, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                text.append(random.nextDouble() < 0.06 ? ", " : " ");
            }
            double roll = random.nextDouble();
            if (roll < 0.08) {
                text.append(topic.get(random.nextInt(topic.size())));
            } else if (roll < 0.10) {
                text.append(number());
            } else {
                text.append(lang.vocabulary.sample(random));
            }
        }
        return text.toString();
    }

    private String number() {
        return switch (random.nextInt(5)) {
            case 0 -> Integer.toString(random.nextInt(10));
            case 1 -> Integer.toString(random.nextInt(1000));
            case 2 -> Integer.toString(2020 + random.nextInt(8));
            case 3 -> String.format(Locale.ROOT, "%d:%02d", random.nextInt(24), random.nextInt(60));
            default -> String.format(Locale.ROOT, "%.2f", random.nextDouble() * 500);
        };
    }

    private String url() {
        StringBuilder token = new StringBuilder();
        for (int i = 5 + random.nextInt(8); i > 0; i--) {
            token.append((char) ('a' + random.nextInt(26)));
        }
        return "https://" + pick(DOMAINS) + "/" + token + (random.nextBoolean() ? "" : "?ref=" + random.nextInt(100));
    }

    /** Swaps or drops letters, as fast typing on a phone does. */
    private String typos(String text, double rate) {
        char[] chars = text.toCharArray();
        StringBuilder out = new StringBuilder(chars.length);
        for (int i = 0; i < chars.length; i++) {
            boolean letter = Character.isLetter(chars[i]);
            if (letter && random.nextDouble() < rate) {
                if (random.nextBoolean() && i + 1 < chars.length && Character.isLetter(chars[i + 1])) {
                    out.append(chars[i + 1]).append(chars[i]);
                    i++;
                }
                continue; // dropped, or already appended swapped
            }
            out.append(chars[i]);
        }
        return out.toString();
    }

    /** The message, and for about 5% of messages one or two earlier versions, newest first. */
    private ArchivedMessage withHistory(Chat chat, String userId, boolean bot, String text, long createdAt) {
        String id = ulid(createdAt);
        Instant created = Instant.ofEpochMilli(createdAt);
        if (random.nextDouble() >= 0.05) {
            return new ArchivedMessage(Message.first(chat.id, id, userId, bot, text, chat.metadata, created),
                    List.of());
        }
        int edits = random.nextDouble() < 0.8 ? 1 : 2;
        List<MessageVersion> versions = new ArrayList<>();
        String earlier = text;
        long at = createdAt;
        List<Long> editTimes = new ArrayList<>();
        for (int i = 0; i < edits; i++) {
            at += 5_000 + random.nextInt(600_000);
            editTimes.add(at);
        }
        // Walk back from the current text: each earlier version lacks a later fix or addition.
        for (int v = edits; v >= 1; v--) {
            earlier = earlierDraft(earlier);
            Instant written = v == 1 ? created : Instant.ofEpochMilli(editTimes.get(v - 2));
            versions.add(new MessageVersion(id, v, v == 1 ? null : (long) v - 1, userId, bot, earlier,
                    chat.metadata, false, written));
        }
        Message current = new Message(chat.id, id, userId, bot, text, chat.metadata, edits + 1L, (long) edits,
                false, created, Instant.ofEpochMilli(editTimes.get(edits - 1)), null, null);
        return new ArchivedMessage(current, versions);
    }

    private String earlierDraft(String text) {
        if (text.length() > 40 && random.nextBoolean()) {
            return text.substring(0, text.length() * (50 + random.nextInt(40)) / 100); // later extended
        }
        return typos(text, 0.05); // later corrected
    }

    /** 48-bit millisecond time then 80 random bits in Crockford base32, as ULIDs are. */
    private String ulid(long millis) {
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        for (int i = 10; i < 26; i++) {
            out[i] = CROCKFORD[random.nextInt(32)];
        }
        return new String(out);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String[] split(String pipeSeparated) {
        return pipeSeparated.split("\\|");
    }

    private record User(String id, boolean lowercase, double typoRate, double emojiRate) {
    }

    private record Chat(String id, String botId, User[] users, Language language, ObjectNode metadata) {
    }

    private record Language(String code, Vocabulary vocabulary, String[] greetings, String[] thanks,
                            String[] questionStarts, String[] openers, String[] closers) {
    }

    /** Words and phrases drawn with probability proportional to 1 / rank (Zipf's law). */
    private static final class Vocabulary {
        /** Below this rank are the function words ("the", "und", "и"), never what a chat is about. */
        private static final int FIRST_CONTENT_RANK = 50;

        private final String[] entries;
        private final double[] cumulative;

        private Vocabulary(String[] entries) {
            this.entries = entries;
            this.cumulative = new double[entries.length];
            double total = 0;
            for (int rank = 0; rank < entries.length; rank++) {
                total += 1.0 / (rank + 1);
                cumulative[rank] = total;
            }
            for (int rank = 0; rank < entries.length; rank++) {
                cumulative[rank] /= total;
            }
        }

        /** Phrases are ranked among the words after the first twenty, as common as mid-frequency words. */
        static Vocabulary of(String spaceSeparatedWords, String pipeSeparatedPhrases) {
            List<String> entries = new ArrayList<>(Arrays.asList(spaceSeparatedWords.split(" ")));
            String[] phrases = split(pipeSeparatedPhrases);
            for (int i = 0; i < phrases.length; i++) {
                entries.add(Math.min(entries.size(), 20 + 3 * i), phrases[i]);
            }
            return new Vocabulary(entries.toArray(String[]::new));
        }

        String sample(Random random) {
            int index = Arrays.binarySearch(cumulative, random.nextDouble());
            return entries[index >= 0 ? index : Math.min(entries.length - 1, -index - 1)];
        }

        /** Two content words, uniformly chosen: what the next few messages are about. */
        List<String> topic(Random random) {
            return List.of(contentWord(random), contentWord(random));
        }

        private String contentWord(Random random) {
            String word;
            do {
                word = entries[FIRST_CONTENT_RANK + random.nextInt(entries.length - FIRST_CONTENT_RANK)];
            } while (word.contains(" ")); // a phrase is not a topic
            return word;
        }
    }
}
