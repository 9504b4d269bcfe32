package dev.mapretention.agent.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Strings in the report come back exactly when a JSON parser reads them, escaped or not. */
class JsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String written(String value) {
        return Json.string(new StringBuilder(), value).toString();
    }

    @Test
    void plainStringsAreWrittenAsTheyAre() {
        String frame = "com.example.Cache$Loader.lambda$load$0(Cache.java:42)";
        assertEquals('"' + frame + '"', written(frame));
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedAndReadBackExactly() throws Exception {
        String[] tricky = {"say \"hi\"", "C:\\temp\\x", "line\nbreak\r\ttab", "bell\u0007 nul\u0000 unit\u001f",
            "ünïcødé ✓", "", "\"", "\\"};
        for (String value : tricky) {
            assertEquals(value, JSON.readValue(written(value), String.class), written(value));
        }
        assertEquals("\"a\\u0007b\"", written("a\u0007b"));
        assertEquals("null", written(null));
    }
}
