// EPUBCheck on every EPUB named on the command line, in one JVM: EPUBCheck's own command
// line takes one file, and a JVM per file costs seconds of CPU before the first check.
// Each report goes to FILE.json, exactly as `java -jar epubcheck.jar FILE --json FILE.json`
// writes it. Run by Java's source launcher (`java -cp epubcheck.jar EpubCheckBatch.java ...`).
import com.adobe.epubcheck.tool.EpubChecker;

public class EpubCheckBatch {
    public static void main(String[] args) {
        int failed = 0;
        for (String path : args) {
            try {
                new EpubChecker().run(new String[] {path, "--json", path + ".json"});
            } catch (Throwable e) {
                failed++;
                System.err.println(path + ": " + e);
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }
}
