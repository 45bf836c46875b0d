//! Black-box tests of the `sambandh` binary: every test runs the real executable, once
//! against SQLite (a file in a temporary directory) and once against PostgreSQL (a
//! fresh database from the testkit), as `<test>::sqlite` and `<test>::postgres`.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

use std::collections::BTreeSet;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use sambandh_store::Engine;
use sambandh_store::testkit::TestDb;

// ---------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------

/// Declares a test that runs once per engine: `name::sqlite` and `name::postgres`.
/// The body gets one fresh database per parameter (`fn name(db)`, `fn name(a, b)`).
macro_rules! both_engines {
    ($(#[$meta:meta])* fn $name:ident($($db:ident),+) $body:block) => {
        $(#[$meta])*
        mod $name {
            use super::*;

            fn body(dbs: &[Db]) {
                let [$($db),+] = dbs else { panic!("wrong number of databases") };
                $body
            }

            const N_DBS: usize = [$(stringify!($db)),+].len();

            #[tokio::test]
            async fn sqlite() {
                on_engine(Engine::Sqlite, N_DBS, body).await;
            }

            #[tokio::test]
            async fn postgres() {
                on_engine(Engine::Postgres, N_DBS, body).await;
            }
        }
    };
}

/// Runs `body` on `n` fresh databases of `engine`, then drops them even if it panicked.
async fn on_engine(engine: Engine, n: usize, body: fn(&[Db])) {
    let mut dbs = Vec::with_capacity(n);
    for _ in 0..n {
        match Db::new(engine).await {
            Some(db) => dbs.push(db),
            // PostgreSQL is not there and not required: the testkit said so on stderr.
            None => return,
        }
    }
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| body(&dbs)));
    for db in dbs {
        db.finish().await;
    }
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

/// A database for the binary to use, and a directory for the files of the test.
struct Db {
    url: String,
    dir: tempfile::TempDir,
    pg: Option<TestDb>,
}

impl Db {
    async fn new(engine: Engine) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        match engine {
            // The binary creates the file itself, as it would for a user.
            Engine::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("t.db").display());
                Some(Self { url, dir, pg: None })
            }
            Engine::Postgres => {
                let pg = TestDb::new(Engine::Postgres).await?;
                Some(Self { url: pg.url.clone(), dir, pg: Some(pg) })
            }
        }
    }

    async fn finish(self) {
        if let Some(pg) = self.pg {
            pg.finish().await;
        }
    }

    /// Runs `sambandh --database <this database> ARGS…` in the test's directory.
    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_sambandh"))
            .arg("--database")
            .arg(&self.url)
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("SAMBANDH_DATABASE_URL")
            .env_remove("SAMBANDH_LOG")
            .output()
            .unwrap();
        Run {
            args: args.join(" "),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
            status: output.status,
        }
    }

    /// Like [`Self::run`], and the command must succeed.
    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert!(run.status.success(), "`sambandh {}` failed ({}):\n{}", run.args, run.status, run.stderr);
        run
    }

    /// Writes a file into the test's directory.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// `sambandh import contacts FILE EXTRA…`, which must succeed; returns the run.
    fn import(&self, file: &Path, extra: &[&str]) -> Run {
        let mut args = vec!["import", "contacts", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    fn add_branch(&self, name: &str, region: &str, language: &str) {
        self.ok(&[
            "branch",
            "add",
            "--name",
            name,
            "--city",
            name,
            "--region",
            region,
            "--time-zone",
            "Asia/Kolkata",
            "--language",
            language,
        ]);
    }

    /// The branches every import fixture refers to (the demo's as well).
    fn add_fixture_branches(&self) {
        self.add_branch("Chennai", "IN-TN", "ta");
        self.add_branch("Ahmedabad", "IN-GJ", "gu");
        self.add_branch("Lucknow", "IN-UP", "hi");
    }

    /// Every contact, from `export contacts --format json`.
    fn contacts(&self) -> Vec<Json> {
        let run = self.ok(&["export", "contacts", "--format", "json"]);
        match serde_json::from_str(&run.stdout) {
            Ok(Json::Array(items)) => items,
            other => panic!("the JSON export is not an array: {other:?}"),
        }
    }

    /// The one contact with this external id.
    fn contact(&self, external_id: &str) -> Json {
        let mut found: Vec<Json> =
            self.contacts().into_iter().filter(|c| c.text("external_id") == Some(external_id)).collect();
        assert_eq!(found.len(), 1, "contacts with external_id {external_id}: {found:?}");
        found.remove(0)
    }
}

/// What one run of the binary did.
struct Run {
    args: String,
    stdout: String,
    stderr: String,
    status: ExitStatus,
}

impl Run {
    fn last_line(&self) -> &str {
        self.stdout.lines().last().unwrap_or_default()
    }
}

/// Reads a CSV file (or text) into its header and records.
fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// `contacts.csv` → `contacts.rejects.csv`.
fn rejects_of(file: &Path) -> PathBuf {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// UTF-16LE with a byte-order mark: what Excel's "Unicode Text" writes.
fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

const HEADER: &str = "external_id,honorific,given_name,family_name,father_name,name_latin,gender,language,\
time_zone,region,birthday,email,phone,city,pin_code,branch,tags";

/// Four good rows (lines 2, 3, 4 and 9) and four bad ones (lines 5 to 8).
const ROWS: &str = "\
T-1,Thiru,கார்த்திக்,,R.,R. Karthik,male,ta,Asia/Kolkata,IN-TN,14/03/1987,karthik@example.com,98400 12345,Chennai,600017,Chennai,vip;retail
G-1,Smt.,હેતલ,પટેલ,,Hetal Patel,female,gu,Asia/Kolkata,IN-GJ,1990-05-01,hetal.patel@example.com,98250 11111,Ahmedabad,380001,Ahmedabad,
H-1,Shri,राजेश,शर्मा,,Rajesh Sharma,male,hi,Asia/Kolkata,IN-UP,1975-11-02,rajesh.sharma@example.com,+91 94150 22222,Lucknow,226001,Lucknow,wholesale
X-1,,Anita,,,,female,ta,,,,anita-at-example.com,,Chennai,600018,Chennai,
X-2,,Bala,,,,male,ta,,,,bala@example.com,,Chennai,012345,Chennai,
X-3,,Meena,,,,female,ta,,IN-TN,,meena@example.com,,Madurai,625001,Madurai,
X-4,,Ravi,,,,male,ta,,,,ravi@example.com,12345,,,,
L-1,,Lakshmi,,,,female,ta,,,--02-29,lakshmi@example.com,,,,,
";

/// The rejected rows of the fixture: (line in the file, a word the reason must contain).
const REJECTED: [(u64, &str); 4] = [(5, "email"), (6, "pin_code"), (7, "branch"), (8, "phone")];

fn fixture() -> String {
    format!("{HEADER}\n{ROWS}")
}

const TAMIL_NAME: &str = "கார்த்திக்";

// ---------------------------------------------------------------------------------------
// Branches
// ---------------------------------------------------------------------------------------

both_engines! {
    /// A valid branch is added and listed; a bad region is refused, naming the field.
    fn branch_add_validates_the_region(db) {
        let run = db.ok(&[
            "branch", "add", "--name", "Chennai", "--city", "Chennai", "--region", "IN-TN",
            "--time-zone", "Asia/Kolkata", "--language", "ta",
        ]);
        assert!(run.stdout.contains("added branch Chennai"), "{}", run.stdout);

        let bad = db.run(&[
            "branch", "add", "--name", "Nowhere", "--city", "Nowhere", "--region", "IN-XX",
            "--time-zone", "Asia/Kolkata", "--language", "ta",
        ]);
        assert!(!bad.status.success(), "IN-XX was accepted: {}", bad.stdout);
        assert_ne!(bad.status.code(), Some(0));
        assert!(bad.stderr.contains("region"), "the error does not name the field: {}", bad.stderr);
        assert!(bad.stderr.contains("IN-XX"), "the error does not quote the value: {}", bad.stderr);

        let list = db.ok(&["branch", "list"]);
        let rows: Vec<Vec<&str>> = list.stdout.lines().skip(1).map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), 1, "{}", list.stdout);
        assert_eq!(rows[0][1..], ["Chennai", "Chennai", "IN-TN", "Asia/Kolkata", "ta"]);
    }
}

// ---------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------

both_engines! {
    /// Good rows are imported, bad ones reported by line and field in FILE.rejects.csv.
    fn import_keeps_good_rows_and_reports_bad_ones(db) {
        db.add_fixture_branches();
        let file = db.file("contacts.csv", fixture());
        let run = db.import(&file, &[]);
        assert_eq!(run.last_line(), "imported 4, rejected 4", "stdout: {}\nstderr: {}", run.stdout, run.stderr);

        // The rejects: the original header plus row and reason; each bad row as it was.
        let rejects = std::fs::read_to_string(rejects_of(&file)).unwrap();
        let (header, rows) = read_csv(&rejects);
        let (original_header, original_rows) = read_csv(&fixture());
        let mut expected_header = original_header.clone();
        expected_header.extend(["row".to_owned(), "reason".to_owned()]);
        assert_eq!(header, expected_header);
        assert_eq!(rows.len(), REJECTED.len(), "{rejects}");
        for (row, (line, field)) in rows.iter().zip(REJECTED) {
            let n = original_header.len();
            // Line 2 of the file is the first record.
            let original = &original_rows[usize::try_from(line).unwrap() - 2];
            assert_eq!(row[..n], original[..], "the cells of line {line}");
            assert_eq!(row[n], line.to_string(), "the line number of {original:?}");
            assert!(row[n + 1].contains(field), "the reason for line {line} does not name {field}: {}", row[n + 1]);
        }
        assert!(rows[2][18].contains("Madurai"), "the reason should quote the unknown branch: {}", rows[2][18]);

        // The good rows, normalised.
        let contacts = db.contacts();
        assert_eq!(contacts.len(), 4);
        let karthik = db.contact("T-1");
        assert_eq!(karthik.text("given_name"), Some(TAMIL_NAME));
        assert_eq!(karthik.text("father_name"), Some("R."));
        assert_eq!(karthik.text("name_latin"), Some("R. Karthik"));
        assert_eq!(karthik.text("honorific"), Some("Thiru"));
        assert_eq!(karthik.text("script"), Some("Taml"));
        assert_eq!(karthik.texts("phones"), ["+919840012345"]);
        assert_eq!(karthik.texts("emails"), ["karthik@example.com"]);
        assert_eq!(karthik.text("pin_code"), Some("600017"));
        assert_eq!(karthik.text("branch"), Some("Chennai"));
        assert_eq!(karthik.texts("tags"), ["vip", "retail"]);
        assert_eq!(karthik.text("birthday"), Some("1987-03-14"), "14/03/1987 is day first");
        assert_eq!(db.contact("G-1").text("script"), Some("Gujr"));
        assert_eq!(db.contact("G-1").text("family_name"), Some("પટેલ"));
        assert_eq!(db.contact("H-1").text("script"), Some("Deva"));
        assert_eq!(db.contact("H-1").texts("phones"), ["+919415022222"]);
        assert_eq!(db.contact("L-1").text("birthday"), Some("--02-29"), "29 February without a year is valid");
        let imported: BTreeSet<&str> = contacts.iter().map(|c| c.text("external_id").unwrap()).collect();
        assert_eq!(imported, BTreeSet::from(["T-1", "G-1", "H-1", "L-1"]));
    }
}

both_engines! {
    /// The row number of a rejected row is its line in the file, also when the file has
    /// Windows line ends (as Excel writes) or blank lines.
    fn reject_row_numbers_are_lines_of_the_file(db) {
        // B and C are rejected; the expected numbers are their lines in each file.
        let cases = [
            ("lf.csv", "given_name,pin_code\nA,600017\nB,012345\nC,012345\n", ["3", "4"]),
            ("crlf.csv", "given_name,pin_code\r\nA,600017\r\nB,012345\r\nC,012345\r\n", ["3", "4"]),
            ("blank-lines.csv", "given_name,pin_code\n\nA,600017\n\nB,012345\nC,012345\n", ["5", "6"]),
        ];
        let mut expected = Vec::new();
        let mut reported = Vec::new();
        for (name, text, lines) in cases {
            let file = db.file(name, text);
            assert_eq!(db.import(&file, &[]).last_line(), "imported 1, rejected 2", "{name}");
            let (_, rows) = read_csv(&std::fs::read_to_string(rejects_of(&file)).unwrap());
            expected.push((name, lines.map(str::to_owned).to_vec()));
            reported.push((name, rows.iter().map(|r| r[2].clone()).collect::<Vec<_>>()));
        }
        assert_eq!(reported, expected, "the row numbers of the rejected rows B and C");
    }
}

both_engines! {
    /// A rejects file left by an earlier run goes away once the file imports cleanly.
    fn a_clean_import_removes_old_rejects(db) {
        let file = db.file("fix.csv", "external_id,given_name,pin_code\nF-1,Bala,012345\n");
        assert_eq!(db.import(&file, &[]).last_line(), "imported 0, rejected 1");
        assert!(rejects_of(&file).exists());
        db.file("fix.csv", "external_id,given_name,pin_code\nF-1,Bala,600012\n");
        assert_eq!(db.import(&file, &[]).last_line(), "imported 1, rejected 0");
        assert!(!rejects_of(&file).exists(), "the stale rejects file is still there");
    }
}

both_engines! {
    /// Importing the same file again updates the contacts instead of adding them twice,
    /// and a row without external_id is matched by its e-mail.
    fn reimport_updates_instead_of_duplicating(db) {
        db.add_fixture_branches();
        let file = db.file("contacts.csv", fixture());
        assert_eq!(db.import(&file, &[]).last_line(), "imported 4, rejected 4");
        let first = db.contacts();
        assert_eq!(first.len(), 4);

        assert_eq!(db.import(&file, &[]).last_line(), "imported 4, rejected 4");
        let second = db.contacts();
        assert_eq!(second.len(), 4, "the second import added contacts");
        let ids = |contacts: &[Json]| contacts.iter().map(|c| c.text("id").unwrap().to_owned()).collect::<BTreeSet<_>>();
        assert_eq!(ids(&first), ids(&second));

        // Matched by e-mail only (in another case): the same contact gets the new tag.
        let by_email = db.file("by-email.csv", format!("given_name,email,tags\n{TAMIL_NAME},KARTHIK@example.com,loyal\n"));
        assert_eq!(db.import(&by_email, &[]).last_line(), "imported 1, rejected 0");
        assert_eq!(db.contacts().len(), 4, "the e-mail match created a contact");
        let karthik = db.contact("T-1");
        assert_eq!(karthik.texts("tags"), ["vip", "retail", "loyal"]);
        assert_eq!(karthik.texts("emails"), ["karthik@example.com"]);
        assert_eq!(karthik.texts("phones"), ["+919840012345"], "an empty cell keeps the stored value");
    }
}

both_engines! {
    /// An update that changes the given name to another script, without a script
    /// column, re-detects the script instead of keeping the old one.
    fn an_update_redetects_the_script(db) {
        let file = db.file("s.csv", format!("external_id,given_name\nS-1,{TAMIL_NAME}\n"));
        db.import(&file, &[]);
        assert_eq!(db.contact("S-1").text("script"), Some("Taml"));
        db.file("s.csv", "external_id,given_name\nS-1,Karthik\n");
        assert_eq!(db.import(&file, &[]).last_line(), "imported 1, rejected 0");
        let karthik = db.contact("S-1");
        assert_eq!(karthik.text("given_name"), Some("Karthik"));
        assert_eq!(karthik.text("script"), Some("Latn"), "a Latin given name is not in Tamil script");
    }
}

both_engines! {
    /// UTF-8 with a BOM and UTF-16LE with a BOM, tab-separated with CRLF (Excel's
    /// "Unicode Text"), both import with the Tamil name intact.
    fn import_reads_excel_encodings(db) {
        db.add_fixture_branches();
        let table = |prefix: &str, phone: &str| {
            let (good, bad) = (format!("{prefix}-1"), format!("{prefix}-2"));
            [
                ["external_id", "given_name", "father_name", "name_latin", "phone", "pin_code", "branch"],
                [good.as_str(), TAMIL_NAME, "R.", "R. Karthik", phone, "600017", "Chennai"],
                [bad.as_str(), "Bala", "", "", "", "012345", "Chennai"],
            ]
            .map(|cells| cells.map(str::to_owned))
        };
        let utf8_bom = table("BOM", "98400 12345").map(|cells| cells.join(",")).join("\n");
        let unicode_text = table("U16", "98400 54321").map(|cells| cells.join("\t")).join("\r\n") + "\r\n";
        let files = [
            ("BOM", "+919840012345", db.file("bom.csv", [b"\xEF\xBB\xBF".as_slice(), utf8_bom.as_bytes()].concat())),
            ("U16", "+919840054321", db.file("unicode.txt", utf16le_with_bom(&unicode_text))),
        ];
        for (prefix, phone, file) in &files {
            let run = db.import(file, &[]);
            assert_eq!(run.last_line(), "imported 1, rejected 1", "{}: {}", file.display(), run.stderr);
            assert!(!run.stderr.contains("not a contact field"), "a header was not recognised: {}", run.stderr);
            let contact = db.contact(&format!("{prefix}-1"));
            assert_eq!(contact.text("given_name"), Some(TAMIL_NAME), "{}", file.display());
            assert_eq!(contact.text("father_name"), Some("R."));
            assert_eq!(contact.text("name_latin"), Some("R. Karthik"));
            assert_eq!(contact.texts("phones"), [*phone]);
            assert_eq!(contact.text("branch"), Some("Chennai"));
            // The rejects are UTF-8 CSV whatever the input was, with the row's own cells.
            let (header, rows) = read_csv(&std::fs::read_to_string(rejects_of(file)).unwrap());
            assert_eq!(header[0], "external_id", "{header:?}");
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0][..7], table(prefix, "")[2][..]);
            assert!(rows[0][8].contains("pin_code"), "{:?}", rows[0]);
        }
        assert_eq!(db.contacts().len(), 2);
    }
}

both_engines! {
    /// `--map "Mobile No=phone"` reads a header of the user's; a map to no column is refused.
    fn import_maps_custom_headers(db) {
        let file = db.file("mobile.csv", format!("given_name,Mobile No\n{TAMIL_NAME},98400 12345\n"));

        let bad = db.run(&["import", "contacts", file.to_str().unwrap(), "--map", "Mobile No=mobile_number"]);
        assert!(!bad.status.success(), "a map to an unknown column was accepted: {}", bad.stdout);
        assert!(bad.stderr.contains("'mobile_number' is not a column"), "{}", bad.stderr);
        assert!(bad.stderr.contains("phone"), "the error should list the columns: {}", bad.stderr);
        let no_equals = db.run(&["import", "contacts", file.to_str().unwrap(), "--map", "Mobile No"]);
        assert!(!no_equals.status.success());
        assert!(no_equals.stderr.contains("HEADER=COLUMN"), "{}", no_equals.stderr);
        assert_eq!(db.contacts().len(), 0, "a refused import wrote contacts");

        let run = db.import(&file, &["--map", "Mobile No=phone"]);
        assert_eq!(run.last_line(), "imported 1, rejected 0");
        let contacts = db.contacts();
        assert_eq!(contacts.len(), 1);
        assert_eq!(contacts[0].texts("phones"), ["+919840012345"]);
        assert_eq!(contacts[0].text("given_name"), Some(TAMIL_NAME));

        // Without the map, the header is named as skipped.
        let unmapped = db.import(&file, &[]);
        assert!(unmapped.stderr.contains("'Mobile No'") && unmapped.stderr.contains("--map"), "{}", unmapped.stderr);
    }
}

both_engines! {
    /// Phones are stored in E.164, e-mails with the domain in lower case.
    fn import_normalises_phone_and_email(db) {
        let file = db.file("n.csv", "external_id,given_name,email,phone\nN-1,Raj,Raj@Example.COM,+91-98400-12345\n");
        assert_eq!(db.import(&file, &[]).last_line(), "imported 1, rejected 0");
        let raj = db.contact("N-1");
        assert_eq!(raj.texts("phones"), ["+919840012345"]);
        assert_eq!(raj.texts("emails"), ["Raj@example.com"]);
        let (header, rows) = read_csv(&db.ok(&["export", "contacts"]).stdout);
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(rows[0][column("phone")], "+919840012345");
        assert_eq!(rows[0][column("email")], "Raj@example.com");
    }
}

// ---------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------

/// The export's rows without the columns a new database assigns, sorted.
fn comparable_rows(export: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let (header, rows) = read_csv(export);
    let keep: Vec<usize> =
        (0..header.len()).filter(|&i| !matches!(header[i].as_str(), "id" | "created_at" | "updated_at")).collect();
    let pick = |row: &Vec<String>| keep.iter().map(|&i| row[i].clone()).collect::<Vec<_>>();
    let mut rows: Vec<Vec<String>> = rows.iter().map(pick).collect();
    rows.sort();
    (pick(&header), rows)
}

both_engines! {
    /// A CSV export imports into a fresh database as the same contacts.
    fn csv_export_round_trips(a, b) {
        a.ok(&["demo", "--contacts", "12"]);
        a.import(&a.file("contacts.csv", fixture()), &[]);
        let rich = "external_id,given_name,preferred_name,name_latin,other_names,email,phone,address_line,\
                    city,pin_code,branch,tags,custom.loyalty_no,value_tier,source\n\
                    R-1,கார்த்திக்,Karthi,R. Karthik,Deva=कार्तिक,k@example.com;karthik.r@example.in,\
                    98400 11111;044 2434 5678,\"12, Anna Salai, Mount Road\",Chennai,600002,Chennai,vip;retail,\
                    LN-42,gold,walk-in\n";
        assert_eq!(a.import(&a.file("rich.csv", rich), &[]).last_line(), "imported 1, rejected 0");
        let exported = a.ok(&["export", "contacts", "--format", "csv"]).stdout;
        let n = a.contacts().len();
        assert_eq!(n, 12 + 4 + 1);

        b.add_fixture_branches();
        let file = b.file("from-a.csv", &exported);
        let run = b.import(&file, &[]);
        assert_eq!(run.last_line(), format!("imported {n}, rejected 0"), "{}", run.stderr);
        assert!(run.stderr.is_empty(), "warnings on importing an export: {}", run.stderr);
        let again = b.ok(&["export", "contacts", "--format", "csv"]).stdout;

        let (header_a, rows_a) = comparable_rows(&exported);
        let (header_b, rows_b) = comparable_rows(&again);
        assert_eq!(header_a, header_b);
        assert_eq!(rows_a.len(), n);
        assert_eq!(rows_b.len(), n);
        for (row_a, row_b) in rows_a.iter().zip(&rows_b) {
            assert_eq!(row_a, row_b, "a contact changed on the way through CSV ({header_a:?})");
        }
    }
}

both_engines! {
    /// One vCard per contact, with the phone as an E.164 `tel:` URI.
    fn vcard_export(db) {
        db.add_fixture_branches();
        db.import(&db.file("contacts.csv", fixture()), &[]);
        let vcards = db.ok(&["export", "contacts", "--format", "vcard"]).stdout;
        let lines: Vec<&str> = vcards.split("\r\n").collect();
        assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VCARD").count(), 4, "{vcards}");
        assert_eq!(lines.iter().filter(|l| **l == "END:VCARD").count(), 4, "{vcards}");
        let cards: Vec<&str> = vcards.split("BEGIN:VCARD\r\n").skip(1).collect();
        let card_of = |needle: &str| {
            let found: Vec<&&str> = cards.iter().filter(|c| c.contains(needle)).collect();
            assert_eq!(found.len(), 1, "cards with {needle}: {vcards}");
            *found[0]
        };
        let karthik = card_of("FN;PREF=1:R. Karthik");
        assert!(karthik.contains(&format!("\r\nFN:R. {TAMIL_NAME}\r\n")), "{karthik}");
        let tels: Vec<&str> = karthik.split("\r\n").filter(|l| l.starts_with("TEL")).collect();
        assert_eq!(tels.len(), 1, "{karthik}");
        assert!(tels[0].ends_with(":tel:+919840012345"), "{}", tels[0]);
        assert!(card_of("Rajesh Sharma").contains(":tel:+919415022222\r\n"));
        assert!(!card_of("Lakshmi").contains("TEL"), "a contact without phone has no TEL");
    }
}

// ---------------------------------------------------------------------------------------
// Demo
// ---------------------------------------------------------------------------------------

/// The ISO 15924 code of the Unicode block `c` is in, for the demo's scripts.
fn script_of_char(c: char) -> Option<&'static str> {
    match c {
        '\u{0B80}'..='\u{0BFF}' => Some("Taml"),
        '\u{0A80}'..='\u{0AFF}' => Some("Gujr"),
        '\u{0900}'..='\u{097F}' => Some("Deva"),
        _ => None,
    }
}

both_engines! {
    /// The demo adds the contacts asked for, in three scripts, and a second run adds none.
    fn demo_is_idempotent(db) {
        db.ok(&["demo", "--contacts", "60"]);
        let contacts = db.contacts();
        assert_eq!(contacts.len(), 60);
        let mut scripts = BTreeSet::new();
        for contact in &contacts {
            let script = contact.text("script").unwrap();
            let name = contact.text("given_name").unwrap();
            assert!(name.chars().all(|c| script_of_char(c) == Some(script)), "{name} is not all {script}");
            assert!(contact.text("name_latin").is_some(), "{name} has no Latin name");
            scripts.insert(script.to_owned());
        }
        assert_eq!(scripts, BTreeSet::from(["Deva", "Gujr", "Taml"].map(str::to_owned)));

        let again = db.ok(&["demo", "--contacts", "60"]);
        assert!(again.stdout.contains(" 0 contacts added"), "{}", again.stdout);
        assert_eq!(db.contacts().len(), 60, "the second demo added contacts");
        let list = db.ok(&["branch", "list"]);
        assert_eq!(list.stdout.lines().count(), 1 + 3, "the second demo added branches: {}", list.stdout);
        let users = db.ok(&["user", "list"]).stdout;
        let roles: BTreeSet<&str> =
            users.lines().filter(|l| l.contains("@demo.sambandh.in")).map(|l| l.split('\t').nth(3).unwrap()).collect();
        assert_eq!(roles, BTreeSet::from(["owner", "admin", "manager", "agent", "viewer"]), "{users}");
        assert_eq!(users.lines().count(), 1 + 6, "one demo account per role, not duplicated: {users}");
    }
}

/// How many contacts the database holds, read directly (on a thread of its own: the
/// test bodies run inside the test's runtime).
fn count_contacts(url: &str) -> usize {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let store = sambandh_store::Store::open(&url).await.unwrap();
            let count = store.count_contacts(&sambandh_domain::Scope::Everything).await.unwrap();
            store.close().await;
            usize::try_from(count).unwrap()
        })
    })
    .join()
    .unwrap()
}

// ---------------------------------------------------------------------------------------
// Reading the JSON export
// ---------------------------------------------------------------------------------------

type Json = serde_json::Value;

/// Reading a contact of the JSON export by field.
trait ContactJson {
    /// A text field; `None` when it is null.
    fn text(&self, key: &str) -> Option<&str>;
    /// A field that is an array of texts.
    fn texts(&self, key: &str) -> Vec<&str>;
}

impl ContactJson for Json {
    fn text(&self, key: &str) -> Option<&str> {
        match &self[key] {
            Json::String(text) => Some(text),
            Json::Null => None,
            other => panic!("{key} is not text: {other:?}"),
        }
    }

    fn texts(&self, key: &str) -> Vec<&str> {
        let Json::Array(items) = &self[key] else { panic!("{key} is not an array: {self:?}") };
        items.iter().map(|item| item.as_str().unwrap_or_else(|| panic!("{item:?}"))).collect()
    }
}

/// A file of `n_rows` contacts, each with its own e-mail and phone.
fn many_contacts(n_rows: usize) -> String {
    let mut csv = String::from("given_name,name_latin,email,phone,tags\n");
    for idx in 0..n_rows {
        csv.push_str(&format!("ராஜா,Raja {idx},raja{idx}@example.com,+91 98{idx:08},kill-test\n"));
    }
    csv
}

fn spawn_import(db: &Db, file: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sambandh"))
        .args(["--database", &db.url, "import", "contacts", file.to_str().unwrap()])
        .current_dir(db.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

both_engines! {
    /// An import into a database that has contacts, killed mid-way, leaves whole
    /// contacts only (whole batches, each with its e-mail and phone indexed), and
    /// running it again completes it without duplicates.
    fn a_killed_import_leaves_no_half_written_contact(db) {
        const N_ROWS: usize = 100_000;
        let earlier = db.file("earlier.csv", "given_name,email\nமீனா,meena@example.com\n");
        assert_eq!(db.import(&earlier, &[]).last_line(), "imported 1, rejected 0");
        let file = db.file("big.csv", many_contacts(N_ROWS));
        let mut import = spawn_import(db, &file);
        // Kill it as soon as the first batch is in. (Counted behind the binary's back: an
        // export is audited, and its audit entry would wait for the import's write lock.)
        let count = || count_contacts(&db.url);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while count() == 1 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        import.kill().unwrap();
        import.wait().unwrap();

        let n_after_kill = count() - 1;
        assert!(n_after_kill > 0, "the import wrote nothing before the deadline");
        assert!(n_after_kill < N_ROWS, "the import finished before it could be killed: make the file bigger");
        assert_eq!(n_after_kill % sambandh_app::imports::BATCH_ROWS, 0, "only whole batches are committed");
        for contact in db.contacts() {
            assert_eq!(contact.texts("emails").len(), 1, "{contact:?}");
        }
        assert_eq!(db.import(&file, &[]).last_line(), format!("imported {N_ROWS}, rejected 0"));
        assert_eq!(count(), N_ROWS + 1, "the rows committed before the kill were matched, not duplicated");
    }
}

both_engines! {
    /// A first import (into a database with no contacts) is one transaction: killed
    /// mid-way it leaves nothing, and running it again imports everything.
    fn a_killed_first_import_leaves_nothing(db) {
        const N_ROWS: usize = 100_000;
        let file = db.file("big.csv", many_contacts(N_ROWS));
        let mut import = spawn_import(db, &file);
        std::thread::sleep(std::time::Duration::from_secs(2));
        assert!(import.try_wait().unwrap().is_none(), "the import finished before it could be killed: make the file bigger");
        import.kill().unwrap();
        import.wait().unwrap();
        assert_eq!(count_contacts(&db.url), 0, "a first import commits once, at its end");
        assert_eq!(db.import(&file, &[]).last_line(), format!("imported {N_ROWS}, rejected 0"));
        assert_eq!(count_contacts(&db.url), N_ROWS);
        assert_eq!(db.import(&file, &[]).last_line(), format!("imported {N_ROWS}, rejected 0"));
        assert_eq!(count_contacts(&db.url), N_ROWS, "imported again: matched, not duplicated");
    }
}

both_engines! {
    /// In a first import, a row for a person an earlier batch created updates them,
    /// as it would batch by batch: the import builds its indexes there and goes on.
    fn a_first_import_matches_rows_across_batches(db) {
        let n_rows = sambandh_app::imports::BATCH_ROWS + 10;
        let mut csv = many_contacts(n_rows);
        csv.push_str("ராஜா,,raja3@example.com,,repeated\n");
        csv.push_str("ராஜா,,,+91 9800000004,repeated\n");
        csv.push_str("ராஜா,Raja new,raja-new@example.com,,\n");
        let file = db.file("repeats.csv", csv);
        assert_eq!(db.import(&file, &[]).last_line(), format!("imported {}, rejected 0", n_rows + 3));
        assert_eq!(count_contacts(&db.url), n_rows + 1, "two rows matched contacts of the first batch");
        let contacts = db.contacts();
        for email in ["raja3@example.com", "raja4@example.com"] {
            let contact = contacts.iter().find(|c| c.texts("emails").contains(&email)).unwrap();
            assert_eq!(contact.texts("tags"), ["kill-test", "repeated"], "{contact:?}");
        }
        let duplicate = db.file("duplicate.csv", "given_name,email\nராஜா,raja-new@example.com\n");
        assert_eq!(db.import(&duplicate, &[]).last_line(), "imported 1, rejected 0");
        assert_eq!(count_contacts(&db.url), n_rows + 1, "the indexes are back: a repeat is matched");
    }
}

both_engines! {
    /// Staff accounts: an agent needs a branch, a password is hashed (never stored as
    /// typed), and an imported contact names its owner by e-mail.
    fn staff_accounts_own_contacts(db) {
        db.add_fixture_branches();
        let no_branch = db.run(&["user", "add", "--email", "x@shop.in", "--name", "X", "--role", "agent"]);
        assert!(!no_branch.status.success());
        assert!(no_branch.stderr.contains("branch: is required for a manager or an agent"), "{}", no_branch.stderr);

        db.add_user_with_password(&[
            "--email", "Meena@Shop.IN", "--name", "மீனா", "--role", "agent", "--branch", "chennai", "--languages", "ta,en",
        ]);
        let list = db.ok(&["user", "list"]).stdout;
        assert!(list.contains("meena@shop.in\tமீனா\tagent") && list.contains("\tta,en"), "{list}");

        let file = db.file("owned.csv", "given_name,owner\nராஜா,meena@shop.in\nராணி,nobody@shop.in\n");
        assert_eq!(db.import(&file, &[]).last_line(), "imported 1, rejected 1");
        let (_, rejected) = read_csv(&std::fs::read_to_string(rejects_of(&file)).unwrap());
        assert!(rejected[0][3].starts_with("owner: no member of staff"), "{rejected:?}");
        let raja = &db.contacts()[0];
        assert_eq!(raja.text("owner"), Some("meena@shop.in"));
    }
}

/// A running `sambandh serve`, killed when dropped.
struct Server {
    child: std::process::Child,
    address: String,
    /// What it printed before "serving".
    banner: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Db {
    /// `sambandh user add ARGS… --password-stdin`, typing a password; must succeed.
    fn add_user_with_password(&self, args: &[&str]) {
        use std::io::Write as _;
        let mut add = Command::new(env!("CARGO_BIN_EXE_sambandh"))
            .args(["--database", &self.url, "user", "add", "--password-stdin"])
            .args(args)
            .current_dir(self.dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        add.stdin.take().unwrap().write_all(b"correct horse battery staple\n").unwrap();
        assert!(add.wait_with_output().unwrap().status.success(), "user add {args:?}");
    }

    /// Starts `sambandh serve` on a free loopback port and waits until it listens.
    fn serve(&self) -> Server {
        use std::io::BufRead as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_sambandh"))
            .args(["--database", &self.url, "serve", "--listen", "127.0.0.1:0"])
            .current_dir(self.dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let mut banner = String::new();
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("Sambandh is serving on http://") {
                let address = rest.split_whitespace().next().unwrap().to_owned();
                return Server { child, address, banner };
            }
            banner.push_str(&line);
            banner.push('\n');
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server stopped before serving:\n{banner}");
    }
}

impl Server {
    /// `GET path` with a bearer token, over a plain socket: (status, body).
    fn get(&self, path: &str, token: &str) -> (u16, String) {
        use std::io::{Read as _, Write as _};
        let mut stream = std::net::TcpStream::connect(&self.address).unwrap();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n",
            self.address
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).unwrap_or_default();
        (status, body)
    }
}

both_engines! {
    /// A new user's first steps: the server says how to make the first owner; the CLI
    /// makes an owner and a token; the token works over HTTP until it is revoked.
    fn the_first_owner_and_an_api_token(db) {
        let first = db.serve();
        assert!(first.banner.contains("sambandh user add --email you@example.com"), "{}", first.banner);
        drop(first);

        db.add_user_with_password(&["--email", "owner@shop.in", "--name", "Lakshmi", "--role", "owner"]);

        let bad = db.run(&["token", "create", "--user", "owner@shop.in", "--expires", "soon"]);
        assert!(!bad.status.success() && bad.stderr.contains("--expires"), "{}", bad.stderr);
        let created = db.ok(&["token", "create", "--user", "owner@shop.in", "--label", "accounts sync", "--expires", "90d"]);
        let token = created.last_line().to_owned();
        assert!(token.starts_with("sambandh_") && token.len() > 40, "{token}");
        let id = created.stdout.split_whitespace().nth(1).unwrap().to_owned();
        let list = db.ok(&["token", "list", "--user", "owner@shop.in"]).stdout;
        assert!(list.contains(&id) && list.contains("accounts sync") && !list.contains(&token), "{list}");

        let server = db.serve();
        assert!(!server.banner.contains("No one can sign in"), "{}", server.banner);
        let (status, body) = server.get("/api/v1/session", &token);
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("\"email\":\"owner@shop.in\""), "{body}");
        assert_eq!(server.get("/api/v1/contacts", "sambandh_wrong").0, 401);
        db.ok(&["token", "revoke", &id]);
        // Revoked from another process: the server stops trusting what it checked
        // within sambandh_app::auth::CREDENTIAL_CACHE_TTL.
        let deadline = std::time::Instant::now() + sambandh_app::auth::CREDENTIAL_CACHE_TTL * 3;
        while server.get("/api/v1/session", &token).0 != 401 {
            assert!(std::time::Instant::now() < deadline, "the revoked token still works");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

both_engines! {
    /// Consent, a person's data and its erasure from the command line, all audited.
    fn consent_person_data_and_erasure(db) {
        db.add_fixture_branches();
        let file = db.file("one.csv", "given_name,name_latin,email,phone,branch\nகார்த்திக்,Karthik,karthik@example.com,98400 12345,Chennai\n");
        db.import(&file, &[]);
        let id = db.contacts()[0].text("id").unwrap().to_owned();

        let bad = db.run(&["consent", "record", "--contact", &id, "--purpose", "spam", "--channel", "sms", "--status", "given", "--method", "verbal"]);
        assert!(!bad.status.success() && bad.stderr.contains("purpose: 'spam' is not one of"), "{}", bad.stderr);
        db.ok(&["consent", "record", "--contact", &id, "--purpose", "greetings", "--channel", "whatsapp", "--status", "given", "--method", "verbal", "--notice-language", "ta"]);
        let consents: serde_json::Value = serde_json::from_str(&db.ok(&["consent", "show", "--contact", &id]).stdout).unwrap();
        assert_eq!(consents["current"][0]["status"], "given");

        let held: serde_json::Value = serde_json::from_str(&db.ok(&["contact", "export", &id]).stdout).unwrap();
        assert_eq!(held["contact"]["emails"][0], "karthik@example.com");
        assert_eq!(held["consents"][0]["purpose"], "greetings");

        db.ok(&["contact", "erase", &id]);
        let after: serde_json::Value = serde_json::from_str(&db.ok(&["contact", "export", &id]).stdout).unwrap();
        assert_eq!(after["contact"]["given_name"], "[erased]");
        assert!(after["contact"]["emails"].as_array().unwrap().is_empty());
        assert!(after["contact"]["erased_at"].is_string());
        let missing = db.run(&["contact", "erase", "0190aaaa-0000-7000-8000-000000000001"]);
        assert!(!missing.status.success() && missing.stderr.contains("not found"), "{}", missing.stderr);

        let audit = db.ok(&["audit", "--record", &id]).stdout;
        let actions: Vec<String> = audit
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["action"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(actions, ["export_person", "erase", "export_person", "consent"], "{audit}");
        assert!(audit.lines().all(|line| line.contains("\"actor\":\"local operator\"")), "{audit}");
        let imports = db.ok(&["audit", "--action", "import"]).stdout;
        assert!(imports.contains("\"created\":1"), "{imports}");
    }
}

both_engines! {
    /// `sambandh import orders`: a row per order line, rejects beside the file with their
    /// row numbers, known order numbers skipped on a second run.
    fn import_orders_with_rejects(db) {
        db.add_fixture_branches();
        let contacts = db.file("c.csv", "given_name,email\nராஜா,raja@example.com\n");
        db.import(&contacts, &[]);
        let run = |args: &[&str]| db.ok(args);
        // The catalogue is kept through the API (no CLI command yet): seeded through
        // the app, as the API would.
        let url = db.url.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let store = sambandh_store::Store::open(&url).await.unwrap();
                let app = sambandh_app::App::new(store);
                let input = sambandh_domain::ProductInput {
                    sku: Some("AMC-1Y".into()),
                    names: vec![("en".into(), "Maintenance".into())],
                    price: Some("12,000".into()),
                    ..Default::default()
                };
                app.create_product(&sambandh_app::Caller::LocalOperator, &input).await.unwrap();
                app.flush_audit().await;
            });
        })
        .join()
        .unwrap();
        let file = db.file(
            "orders.csv",
            "order_number,contact,ordered_at,sku,quantity\nSO-1,raja@example.com,2026-11-20,AMC-1Y,1\nSO-2,nobody@example.com,2026-11-21,AMC-1Y,1\n",
        );
        assert_eq!(run(&["import", "orders", file.to_str().unwrap()]).last_line(), "imported 1 orders, skipped 0 already imported, rejected 1 rows");
        let (_, rejected) = read_csv(&std::fs::read_to_string(rejects_of(&file)).unwrap());
        assert_eq!((rejected[0][5].as_str(), rejected[0][6].starts_with("contact: no contact")), ("3", true), "{rejected:?}");
        assert_eq!(run(&["import", "orders", file.to_str().unwrap()]).last_line(), "imported 0 orders, skipped 1 already imported, rejected 1 rows");
    }
}

// ---------------------------------------------------------------------------------------
// Greetings: import, the daily run, review, the outbox to a real SMTP server
// ---------------------------------------------------------------------------------------

/// A real SMTP server on loopback (`scripts/smtp-sink.py`, aiosmtpd) keeping what it
/// receives as JSON lines.
struct Sink {
    child: std::process::Child,
    port: u16,
    out: PathBuf,
}

impl Sink {
    fn start(dir: &Path, delay_ms: u32) -> Self {
        use std::io::BufRead;
        let out = dir.join("mail.jsonl");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/smtp-sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--port", "0", "--delay-ms", &delay_ms.to_string(), "--out"])
            .arg(&out)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("the SMTP sink said {line:?}"))
            .parse()
            .unwrap();
        Self { child, port, out }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Yesterday in India: the greetings of a day already begun are due at once.
fn yesterday() -> jiff::civil::Date {
    jiff::Timestamp::now().in_tz("Asia/Kolkata").unwrap().date().yesterday().unwrap()
}

/// Contacts with a birthday on `day` who agreed to greetings by e-mail.
fn greeting_fixture(day: jiff::civil::Date, n: usize) -> String {
    let birthday = format!("--{:02}-{:02}", day.month(), day.day());
    let mut csv = String::from(
        "external_id,honorific,given_name,family_name,language,birthday,email,branch,greetings_consent,festivals\n",
    );
    let people = [
        ("Thiru", "கார்த்திக்", "", "ta", "Chennai"),
        ("Shri", "राजेश", "शर्मा", "hi", "Lucknow"),
        ("Shri", "રમેશ", "પટેલ", "gu", "Ahmedabad"),
        ("Mr", "Anil", "Deshmukh", "en", "Lucknow"),
    ];
    for idx in 0..n {
        let (honorific, given, family, language, branch) = people[idx % people.len()];
        csv.push_str(&format!(
            "G-{idx},{honorific},{given},{family},{language},{birthday},person{idx}@example.in,{branch},email,\n"
        ));
    }
    csv
}

both_engines! {
    fn a_new_user_imports_contacts_and_watches_the_greetings_arrive(db) {
        db.add_fixture_branches();
        let day = yesterday();
        let mut csv = greeting_fixture(day, 4);
        // One who did not agree, and one whose festival is not one we know.
        csv.push_str(&format!("G-x,,Priya,,en,--{:02}-{:02},priya@example.in,Chennai,,\n", day.month(), day.day()));
        csv.push_str("G-y,,Joseph,,en,,joseph@example.in,Chennai,email,xmas\n");
        let file = db.file("contacts.csv", csv);
        let run = db.import(&file, &[]);
        assert_eq!(run.last_line(), "imported 5, rejected 1");
        let (_, rejected) = read_csv(&std::fs::read_to_string(rejects_of(&file)).unwrap());
        assert!(rejected[0].last().unwrap().starts_with("festivals:"), "{rejected:?}");

        let before = day.yesterday().unwrap().to_string();
        assert_eq!(db.ok(&["greetings", "run", "--date", &before]).last_line(), "prepared 4 greetings, 0 sent without review");
        assert_eq!(db.ok(&["greetings", "run", "--date", &before]).last_line(), "prepared 0 greetings, 0 sent without review");
        let listed = db.ok(&["greetings", "list", "--date", &day.to_string(), "--format", "json"]);
        let greetings: Vec<serde_json::Value> = serde_json::from_str(&listed.stdout).unwrap();
        let mut languages: Vec<&str> = greetings.iter().map(|g| g["language"].as_str().unwrap()).collect();
        languages.sort_unstable();
        assert_eq!(languages, ["en", "gu", "hi", "ta"]);
        assert!(greetings.iter().all(|g| g["status"] == "review"));

        assert_eq!(db.ok(&["greetings", "approve", "--date", &day.to_string(), "--all"]).last_line(), "approved 4 greetings");
        db.ok(&["settings", "set", "quiet_hours", "00:00-00:00"]);
        let sink = Sink::start(db.dir.path(), 0);
        let sent = db.ok(&["outbox", "send", "--smtp", &sink.url()]);
        assert_eq!(sent.last_line(), "sent 4, retrying 0, failed 0, withheld 0, deferred 0");
        let mail = sink.received();
        assert_eq!(mail.len(), 4);
        let to = |address: &str| mail.iter().find(|m| m["rcpt_tos"] == serde_json::json!([address])).unwrap().clone();
        assert!(to("person0@example.in")["body"].as_str().unwrap().starts_with("அன்புள்ள திரு. கார்த்திக் அவர்களுக்கு,"));
        assert!(to("person1@example.in")["body"].as_str().unwrap().starts_with("प्रिय श्री राजेश जी,"));
        assert!(to("person2@example.in")["body"].as_str().unwrap().starts_with("પ્રિય શ્રી રમેશભાઈ,"));
        assert!(to("person3@example.in")["body"].as_str().unwrap().starts_with("Dear Mr. Deshmukh,"));
    }
}

both_engines! {
    /// A sender killed (SIGKILL) at random moments, again and again, then let finish:
    /// every message arrives, and a message arrives twice only if it was the one in
    /// flight at a kill.
    fn the_sender_killed_at_any_moment_loses_nothing(db) {
        db.add_fixture_branches();
        let day = yesterday();
        let n = 40;
        db.import(&db.file("contacts.csv", greeting_fixture(day, n)), &[]);
        db.ok(&["greetings", "run", "--date", &day.to_string()]);
        db.ok(&["greetings", "approve", "--date", &day.to_string(), "--all"]);
        db.ok(&["settings", "set", "quiet_hours", "00:00-00:00"]);
        // Frequency caps would hold some back; this test is about kills.
        db.ok(&["settings", "set", "frequency_cap", "100/1d"]);
        let sink = Sink::start(db.dir.path(), 25);
        let mut rng = fastrand::Rng::with_seed(7);
        let mut kills = 0;
        for _ in 0..6 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_sambandh"))
                .args(["--database", &db.url, "outbox", "send", "--smtp", &sink.url(), "--lease", "1s", "--concurrency", "1"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(std::time::Duration::from_millis(rng.u64(80..400)));
            if child.try_wait().unwrap().is_none() {
                child.kill().unwrap();
                kills += 1;
            }
            child.wait().unwrap();
            // Let the lease of the message in flight run out.
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let last = db.ok(&["outbox", "send", "--smtp", &sink.url(), "--lease", "1s"]);
        assert!(last.status.success());
        let mail = sink.received();
        let mut per_recipient = std::collections::BTreeMap::<String, usize>::new();
        for message in &mail {
            *per_recipient.entry(message["rcpt_tos"][0].as_str().unwrap().to_owned()).or_default() += 1;
        }
        assert_eq!(per_recipient.len(), n, "every message arrived ({kills} kills)");
        let duplicates = mail.len() - n;
        assert!(duplicates <= kills, "{duplicates} duplicates after {kills} kills");
        assert!(kills > 0, "the sender was never killed mid-way");
        let listed = db.ok(&["greetings", "list", "--date", &day.to_string(), "--status", "sent"]);
        assert_eq!(listed.stdout.lines().count(), n);
    }
}

both_engines! {
    fn the_calendar_is_computed_and_admins_set_and_import_dates(db) {
        let csv = db.ok(&["calendar", "--year", "2025", "--region", "IN-TN"]).stdout;
        let (header, rows) = read_csv(&csv);
        assert_eq!(header, ["date", "key", "name"]);
        let on = |rows: &[Vec<String>], key: &str| rows.iter().find(|r| r[1] == key).map(|r| r[0].clone());
        // Published: Pongal 14 Jan, Diwali 20 Oct, Tamil New Year 14 Apr 2025.
        assert_eq!(on(&rows, "pongal").as_deref(), Some("2025-01-14"));
        assert_eq!(on(&rows, "diwali").as_deref(), Some("2025-10-20"));
        assert_eq!(on(&rows, "tamil_new_year").as_deref(), Some("2025-04-14"));
        assert_eq!(on(&rows, "gujarati_new_year"), None, "a Gujarati festival, not kept in Tamil Nadu");

        // The moon was sighted a day later: an admin sets it.
        db.ok(&["festival", "set", "--key", "eid_al_fitr", "--date", "2025-04-01"]);
        let file = db.file(
            "holidays.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
             BEGIN:VEVENT\r\nUID:1@test\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250414\r\nSUMMARY:Bihu\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:2@test\r\nDTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250115\r\nSUMMARY:Pongal\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:3@test\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250301T100000Z\r\nSUMMARY:Board meeting\r\nEND:VEVENT\r\n\
             END:VCALENDAR\r\n",
        );
        let imported = db.ok(&["festival", "import", file.to_str().unwrap(), "--region", "IN-TN"]);
        assert_eq!(imported.last_line(), "imported 2, rejected 1");
        assert!(imported.stderr.contains("event 3: 'Board meeting' is not an all-day event"), "{}", imported.stderr);
        let (_, rows) = read_csv(&db.ok(&["calendar", "--year", "2025", "--region", "IN-TN"]).stdout);
        assert_eq!(on(&rows, "eid_al_fitr").as_deref(), Some("2025-04-01"));
        assert_eq!(on(&rows, "pongal").as_deref(), Some("2025-01-15"));
        assert_eq!(on(&rows, "bihu").as_deref(), Some("2025-04-14"));
        // Elsewhere the region's own dates do not apply.
        let (_, rows) = read_csv(&db.ok(&["calendar", "--year", "2025", "--region", "IN-GJ"]).stdout);
        assert_eq!(on(&rows, "bihu"), None);
        let ics = db.ok(&["calendar", "--year", "2025", "--format", "ics"]).stdout;
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.contains("DTSTART;VALUE=DATE:20251020\r\n"));
    }
}

both_engines! {
    /// The documents' e-mail rule on a branch's hours and holidays, as the command line
    /// prints it: the due instant is the last line.
    fn sla_due_follows_the_branch_calendar(db) {
        db.ok(&[
            "branch", "add", "--name", "Chennai", "--city", "Chennai", "--region", "IN-TN",
            "--time-zone", "Asia/Kolkata", "--language", "ta",
        ]);
        let due = |received: &str| {
            let run = db.ok(&["sla", "due", "--branch", "Chennai", "--channel", "email", "--received", received]);
            run.stdout.lines().last().unwrap_or_default().to_owned()
        };
        // Received in working hours on a Wednesday: by the close of that day.
        assert_eq!(due("2027-01-13T17:45:00+05:30"), "2027-01-13T18:00:00+05:30");
        // After hours: the close of the next business day. Friday 15 January 2027 is
        // Pongal (the computed calendar), a holiday in Tamil Nadu.
        let pongal = db.ok(&["calendar", "--year", "2027", "--region", "IN-TN"]).stdout;
        assert!(pongal.contains("2027-01-15,pongal,"), "{pongal}");
        assert_eq!(due("2027-01-13T18:30:00+05:30"), "2027-01-14T18:00:00+05:30");
        assert_eq!(due("2027-01-14T19:00:00+05:30"), "2027-01-16T14:00:00+05:30", "Saturday's short day");
        // The branch's own hours and days off.
        let set = db.ok(&["branch", "hours", "--branch", "Chennai", "--set", "mon-fri 10:00-19:00"]);
        assert_eq!(set.stdout.trim(), "Mon-Fri 10:00-19:00");
        db.ok(&["branch", "holiday", "--branch", "Chennai", "--add", "2027-01-14", "--name", "Stock taking"]);
        assert_eq!(due("2027-01-13T19:30:00+05:30"), "2027-01-18T19:00:00+05:30");
        let shown = db.ok(&["branch", "hours", "--branch", "Chennai", "--year", "2027"]).stdout;
        assert!(shown.contains("2027-01-14\tStock taking\tmanual") && shown.contains("\tPongal\tfestival"), "{shown}");
        let bad = db.run(&["branch", "hours", "--branch", "Chennai", "--set", "Mon-Fri 19:00-10:00"]);
        assert!(!bad.status.success() && bad.stderr.contains("hours"), "{}", bad.stderr);
    }
}

both_engines! {
    /// A call logged from the command line is a ticket in the queue; answering and
    /// resolving it shows in the report.
    fn a_logged_call_is_answered_and_reported(db) {
        db.ok(&[
            "branch", "add", "--name", "Chennai", "--city", "Chennai", "--region", "IN-TN",
            "--time-zone", "Asia/Kolkata", "--language", "ta",
        ]);
        db.ok(&["branch", "hours", "--branch", "Chennai", "--set", "Mon-Sun 00:00-24:00"]);
        let opened = db.ok(&[
            "tickets", "new", "--phone", "98400 12345", "--name", "Lakshmi", "--branch", "Chennai",
            "--text", "எனது கட்டணம் இரண்டு முறை எடுக்கப்பட்டது", "--source", "phone",
        ]);
        assert!(opened.stdout.starts_with("#1 "), "{}", opened.stdout);
        assert!(opened.stdout.contains("[new normal ta]"), "{}", opened.stdout);
        let queue = db.ok(&["tickets", "list"]).stdout;
        assert_eq!(queue.lines().count(), 2, "{queue}");
        let bad = db.run(&["tickets", "new", "--text", "no one to answer", "--source", "phone"]);
        assert!(!bad.status.success() && bad.stderr.contains("email"), "{}", bad.stderr);
        let answered = db.ok(&["tickets", "reply", "1", "--text", "Refunded today.", "--status", "resolved"]);
        assert!(answered.stdout.contains("[resolved normal ta]"), "{}", answered.stdout);
        assert_eq!(db.ok(&["tickets", "list"]).stdout.lines().count(), 1, "the queue is empty");
        let today = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        let report = db.ok(&[
            "sla", "report", "--from", &today.to_string(), "--until", &today.tomorrow().unwrap().to_string(),
            "--format", "json",
        ]);
        let row: Json = serde_json::from_str(report.stdout.lines().next().unwrap()).unwrap();
        assert_eq!((row["tickets"].as_u64(), row["first_response_met"].as_u64(), row["resolved"].as_u64()), (Some(1), Some(1), Some(1)));
    }
}
