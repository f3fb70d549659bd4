package dev.earshot.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The Parquet folder an {@code earshot spark} job writes, and its report. A picocli mixin. */
final class SparkOutput {
  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
      description = "Parquet folder to write (a local path or a Hadoop URI).")
  String out;

  @Option(names = "--overwrite", description = "Replace --out if it exists (else an existing --out is an error).")
  boolean overwrite;

  /** Prints what was written and the clips that failed; exit status 2 when any did, like embed/classify. */
  int report(SparkJobs.Written written, PrintWriter out, PrintWriter err) {
    written.firstErrors().forEach(e -> err.println("earshot: skipped " + e));
    if (written.errors() > written.firstErrors().size()) {
      err.printf(Locale.ROOT, "earshot: ... and %d more (the rows' error column says why)%n",
          written.errors() - written.firstErrors().size());
    }
    out.printf(Locale.ROOT, "%d clip(s) -> %s (Parquet), %d with an error%n", written.rows(), this.out,
        written.errors());
    out.flush();
    err.flush();
    return written.errors() == 0 ? 0 : 2;
  }
}
