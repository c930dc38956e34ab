package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.admin.Admin;
import dev.chathistory.importer.ImportCommand;
import dev.chathistory.local.ProjectRoot;
import dev.chathistory.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command in a shell block of README.md and docs/ is run by a test or checked against
 * what it names, so a renamed module, test class, option, output, parameter or admin command
 * fails here instead of in an operator's terminal. The README's walkthrough is run as written
 * by {@link ReadmeWalkthroughIT}; {@code ./mvnw verify} is what CI runs; the rest is checked
 * here: Maven modules and test classes exist, {@code ./import} arguments parse with the
 * importer's own parser, {@code ./admin} commands exist with their arity, every
 * {@code <Placeholder>} is an output of template.yaml, every {@code --parameter-overrides} name a
 * parameter, every file a command reads exists. A command no rule knows fails the test: give it
 * a rule or a test that runs it. What was checked, and how, is written to
 * {@code target/docs-commands.txt}.
 */
class DocsCommandsTest {

    private static final Pattern SHELL_BLOCK = Pattern.compile("```(?:bash|sh|shell|console)\\n(.*?)```",
            Pattern.DOTALL);
    private static final String WALKTHROUGH_MARKER = "<!-- walkthrough: ReadmeWalkthroughIT runs this block -->";
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z][A-Za-z0-9]*)>");
    private static final Pattern ENV_ASSIGNMENT = Pattern.compile("[A-Z_][A-Z0-9_]*=\\S*");
    /** Tools whose use in a pipeline needs no check of its own. */
    private static final Set<String> PLAIN_TOOLS = Set.of("cat", "jq", "echo");

    private static Path root;
    private static SamTemplate template;
    private static Set<String> outputs;
    private static Set<String> testClasses;

    @BeforeAll
    static void load() throws IOException {
        root = ProjectRoot.find();
        template = SamTemplate.loadFrom(root);
        outputs = new HashSet<>();
        template.document().path("Outputs").fieldNames().forEachRemaining(outputs::add);
        try (Stream<Path> files = Files.walk(root)) {
            testClasses = files.filter(f -> f.toString().contains("/src/test/java/") && f.toString().endsWith(".java")
                            && !f.toString().contains("/target/"))
                    .map(f -> f.getFileName().toString().replace(".java", ""))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void everyDocumentedCommand_shouldBeRunOrChecked() throws IOException {
        List<String> report = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path doc : documents()) {
            for (DocCommand command : commands(doc)) {
                String verdict;
                try {
                    verdict = check(command.text());
                } catch (AssertionError | RuntimeException e) {
                    problems.add(command.where() + ": " + command.text() + "\n    " + e.getMessage());
                    verdict = "FAILED: " + e.getMessage();
                }
                report.add(command.where() + "\t" + command.text() + "\t" + verdict);
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "docs-commands.txt"), report);

        assertThat(report).as("commands found in the docs").hasSizeGreaterThan(30);
        assertThat(problems).as("documented commands that name something that does not exist").isEmpty();
    }

    @Test
    void theChecks_shouldCatchWhatGoesStale() {
        assertThat(failure("./mvnw verify -pl tests -am -Dit.test=NoSuchIT")).contains("NoSuchIT");
        assertThat(failure("./mvnw test -pl functions/no-such-module")).contains("no-such-module");
        assertThat(failure("./import --tenant acme --no-such-option")).contains("--no-such-option");
        assertThat(failure("./admin issue-key acme")).contains("issue-key");
        assertThat(failure("aws lambda invoke --function-name <NoSuchFunctionName> out.json"))
                .contains("NoSuchFunctionName");
        assertThat(failure(".venv/bin/sam deploy --parameter-overrides NoSuchParameter=1"))
                .contains("NoSuchParameter");
        assertThat(failure("frobnicate --all")).contains("no rule");
    }

    private static String failure(String command) {
        try {
            return "passed: " + check(command);
        } catch (AssertionError | RuntimeException e) {
            return e.getMessage();
        }
    }

    // ---------------------------------------------------------------- the rules

    /** Checks one command line (a pipeline or {@code &&} chain), returning how it was covered. */
    static String check(String line) {
        List<String> verdicts = new ArrayList<>();
        for (String part : line.split("\\s*(?:&&|\\|\\||\\||;)\\s*")) {
            List<String> words = words(part);
            while (!words.isEmpty() && ENV_ASSIGNMENT.matcher(words.get(0)).matches()) {
                checkPlaceholders(words.remove(0));
            }
            if (words.isEmpty()) {
                continue;
            }
            verdicts.add(checkOne(words));
        }
        return String.join("; ", verdicts);
    }

    private static String checkOne(List<String> words) {
        String program = words.get(0);
        List<String> args = words.subList(1, words.size());
        words.forEach(DocsCommandsTest::checkPlaceholders);
        return switch (program) {
            case "./mvnw" -> maven(args);
            case "./import" -> importer(args);
            case "./admin" -> admin(args);
            case "./run-local" -> "RunLocalE2EIT starts what it runs";
            case "export" -> "placeholders are template outputs";
            case "aws" -> "AWS CLI against a deployed stack (not run here): placeholders are template outputs";
            case "curl" -> localStack(args);
            case ".venv/bin/sam" -> sam(args);
            case ".venv/bin/python" -> filesExist(args, "-r", "-c");
            case "python3" -> python(args);
            case "docker" -> dockerCompose(args);
            default -> {
                if (PLAIN_TOOLS.contains(program)) {
                    yield program + " in a pipeline";
                }
                throw new AssertionError("no rule checks `" + program + "`: add one to DocsCommandsTest, or a test"
                        + " that runs the command");
            }
        };
    }

    private static String maven(List<String> args) {
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-pl") && i + 1 < args.size()) {
                for (String module : args.get(i + 1).split(",")) {
                    String path = module.replaceFirst("^!", "");
                    assertThat(root.resolve(path).resolve("pom.xml")).as("module " + path + " of -pl").exists();
                    modules.add(path);
                }
            }
            Matcher tests = Pattern.compile("-D(?:test|it\\.test)=(.+)").matcher(arg);
            if (tests.matches() && !tests.group(1).equals("none")) {
                for (String pattern : tests.group(1).split(",")) {
                    Pattern glob = Pattern.compile(pattern.replace("*", ".*"));
                    assertThat(testClasses.stream().anyMatch(c -> glob.matcher(c).matches()))
                            .as("a test class matching " + pattern).isTrue();
                }
            }
        }
        if (args.equals(List.of("verify"))) {
            return "the test command CI runs (.ci/run)";
        }
        return "modules " + modules + " and named test classes exist";
    }

    private static String importer(List<String> args) {
        try {
            new CommandLine(new ImportCommand()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("./import refuses " + args + ": " + e.getMessage(), e);
        }
        return "parsed by ./import's own parser";
    }

    private static String admin(List<String> args) {
        String command = args.isEmpty() ? "" : args.get(0);
        // A usage line: two spaces, the command, then its <arguments>.
        Matcher usage = Pattern.compile("(?m)^  " + Pattern.quote(command) + "((?: <[A-Za-z]+>)*)\\s")
                .matcher(Admin.usage());
        if (command.isEmpty() || !usage.find()) {
            throw new AssertionError("./admin has no command " + command);
        }
        long arity = usage.group(1).chars().filter(c -> c == '<').count();
        if (arity != args.size() - 1) {
            throw new AssertionError("./admin " + command + " takes " + arity + " arguments, the docs give "
                    + (args.size() - 1));
        }
        return "an ./admin command with its arguments";
    }

    private static String localStack(List<String> args) {
        String url = args.stream().filter(a -> a.contains("localhost:3000")).findFirst()
                .orElseThrow(() -> new AssertionError("curl outside the walkthrough only reaches the local stack"));
        String path = url.replaceFirst("^(?:https?://)?localhost:3000", "");
        List<String> segments = List.of(path.split("/"));
        if (segments.size() == 5 && segments.get(1).equals("_local") && segments.get(2).equals("functions")
                && segments.get(4).equals("invoke")) {
            assertThat(template.resource(segments.get(3))).as("function " + segments.get(3)).isNotNull();
            return "a function of template.yaml, invoked through the local stack";
        }
        if (segments.size() == 5 && segments.get(1).equals("_local") && segments.get(2).equals("schedules")) {
            JsonNode events = template.resource(segments.get(3)).path("Properties").path("Events");
            assertThat(events.has(segments.get(4))).as("event " + segments.get(4) + " of " + segments.get(3))
                    .isTrue();
            return "a schedule of template.yaml, fired through the local stack";
        }
        throw new AssertionError("no rule for the local stack path " + path);
    }

    private static String sam(List<String> args) {
        String command = args.isEmpty() ? "" : args.get(0);
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals("--parameter-overrides")) {
                String name = args.get(i + 1).split("=", 2)[0];
                assertThat(template.document().path("Parameters").has(name)).as("parameter " + name).isTrue();
            }
        }
        filesExist(args, "-e", "--env-vars");
        return switch (command) {
            case "build", "validate" -> "run by .ci/run";
            case "deploy" -> "needs an AWS account (not run here): parameters exist";
            case "local" -> "needs Docker (not run here): events and env files exist";
            default -> throw new AssertionError("no rule for sam " + command);
        };
    }

    private static String python(List<String> args) {
        assertThat(args).as("python3's arguments").isNotEmpty();
        if (args.get(0).equals("-c")) {
            return "an inline program";
        }
        assertThat(root.resolve(args.get(0))).as("script " + args.get(0)).exists();
        return "the script exists";
    }

    private static String dockerCompose(List<String> args) {
        assertThat(args).as("docker compose").startsWith("compose");
        int profile = args.indexOf("--profile");
        if (profile >= 0) {
            String compose = read(root.resolve("docker-compose.yml"));
            assertThat(compose).as("docker-compose.yml's profiles")
                    .containsPattern("profiles:\\s*\\[[^\\]]*\\b" + Pattern.quote(args.get(profile + 1)) + "\\b");
        }
        return "needs Docker (not run here): the profile exists";
    }

    private static String filesExist(List<String> args, String... fileOptions) {
        Set<String> options = Set.of(fileOptions);
        for (int i = 0; i < args.size() - 1; i++) {
            if (options.contains(args.get(i))) {
                assertThat(root.resolve(args.get(i + 1))).as(args.get(i) + " " + args.get(i + 1)).exists();
            }
        }
        return "the files it reads exist";
    }

    private static void checkPlaceholders(String word) {
        Matcher placeholder = PLACEHOLDER.matcher(word);
        while (placeholder.find()) {
            String name = placeholder.group(1);
            // <tenantId>, <jobId> and the like stand for the operator's own values.
            if (Character.isUpperCase(name.charAt(0)) && !outputs.contains(name)) {
                throw new AssertionError("<" + name + "> is not an output of template.yaml");
            }
        }
    }

    // ---------------------------------------------------------------- reading the docs

    record DocCommand(String where, String text) {
    }

    private static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The commands of a document's shell blocks: continuations joined, comments dropped. */
    static List<DocCommand> commands(Path doc) {
        String text = read(doc);
        List<DocCommand> commands = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(text);
        while (block.find()) {
            if (text.substring(Math.max(0, block.start() - WALKTHROUGH_MARKER.length() - 2), block.start())
                    .contains(WALKTHROUGH_MARKER)) {
                continue; // ReadmeWalkthroughIT runs it as written
            }
            int line = (int) text.substring(0, block.start()).chars().filter(c -> c == '\n').count() + 2;
            String joined = block.group(1).replace("\\\n", " ");
            for (String command : joined.split("\n")) {
                String stripped = stripComment(command).strip();
                if (!stripped.isEmpty()) {
                    commands.add(new DocCommand(root.relativize(doc) + ":" + line, stripped));
                }
            }
        }
        return commands;
    }

    /** Drops a {@code #} comment that starts outside quotes. */
    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Splits like a shell does for plain words and quoted strings (no expansions). */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
