// Drives PgJDBC against askgres and prints what it saw as "section.key<TAB>value" lines;
// tests/clients/test_jdbc.py compiles it, runs it and asserts on those lines.
// Each section catches its own exception and prints "section.error<TAB>SQLSTATE message",
// so one failing feature does not hide the others.
import java.sql.*;
import java.util.*;

public class JdbcClientCheck {
    static void out(String section, String key, Object value) {
        System.out.println(section + "." + key + "\t" + value);
    }

    static void fail(String section, Exception e) {
        String state = e instanceof SQLException ? ((SQLException) e).getSQLState() : e.getClass().getSimpleName();
        out(section, "error", state + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
    }

    static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0], table = args[1];
        try (Connection c = DriverManager.getConnection(url, "askgres", "")) {
            out("connect", "product", c.getMetaData().getDatabaseProductName());
            out("connect", "version", c.getMetaData().getDatabaseMajorVersion());
            prepared(c);
            types(c);
            batch(c, table);
            parameterMetaData(c, table);
            databaseMetaData(c);
            fetchSize(c);
            errors(c);
        }
    }

    static void prepared(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM customers WHERE id = ? AND name <> ?")) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {  // past prepareThreshold (5): a named server-side statement
                ps.setInt(1, i);
                ps.setString(2, "");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getInt(1) + ":" + (rs.getString(2) != null));
                }
            }
            out("prepared", "ids", String.join(",", ids));
        } catch (Exception e) {
            fail("prepared", e);
        }
    }

    static void types(Connection c) {
        String sql = "SELECT 1::int2, 2::int4, 3::int8, 1.5::float4, 2.5::float8, 12.34::numeric(10,2), 'txt'::text, "
                + "true, DATE '2024-02-29', TIME '13:14:15', TIMESTAMP '2024-02-29 13:14:15.5', "
                + "'\\x0102'::bytea, ARRAY[1,2,3]";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            ResultSetMetaData md = rs.getMetaData();
            List<String> names = new ArrayList<>(), values = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                names.add(md.getColumnTypeName(i));
                Object v = rs.getObject(i);
                values.add(v instanceof byte[] ? Arrays.toString((byte[]) v) : String.valueOf(v));
            }
            out("types", "names", String.join(",", names));
            out("types", "values", String.join("|", values));
        } catch (Exception e) {
            fail("types", e);
        }
    }

    static void batch(Connection c, String table) {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, label varchar(20), amount numeric(10,2))");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                for (int i = 0; i < 250; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "label " + i);
                    ps.setBigDecimal(3, new java.math.BigDecimal(i).movePointLeft(1));
                    ps.addBatch();
                }
                int total = 0;
                for (int n : ps.executeBatch()) total += n;
                out("batch", "updated", total);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(amount) FROM " + table)) {
                rs.next();
                out("batch", "count", rs.getLong(1));
                out("batch", "sum", rs.getBigDecimal(2));
            }
        } catch (Exception e) {
            fail("batch", e);
        }
    }

    static void parameterMetaData(Connection c, String table) {
        try {
            long before = count(c, table);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
                ParameterMetaData pm = ps.getParameterMetaData();
                List<String> types = new ArrayList<>();
                for (int i = 1; i <= pm.getParameterCount(); i++) types.add(pm.getParameterTypeName(i));
                out("parammeta", "types", String.join(",", types));
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, price FROM products WHERE price > ?")) {
                ResultSetMetaData md = ps.getMetaData();
                out("parammeta", "select_columns", md.getColumnName(1) + ":" + md.getColumnTypeName(1) + ","
                        + md.getColumnName(2) + ":" + md.getColumnTypeName(2));
                out("parammeta", "select_param", ps.getParameterMetaData().getParameterTypeName(1));
            }
            out("parammeta", "rows_before", before);
            out("parammeta", "rows_after", count(c, table));
        } catch (Exception e) {
            fail("parammeta", e);
        }
    }

    static List<String> column(ResultSet rs, String... names) throws SQLException {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> parts = new ArrayList<>();
            for (String n : names) parts.add(String.valueOf(rs.getObject(n)));
            rows.add(String.join(":", parts));
        }
        rs.close();
        return rows;
    }

    static void databaseMetaData(Connection c) {
        try {
            DatabaseMetaData md = c.getMetaData();
            out("dbmeta", "tables", String.join(",", column(md.getTables(null, "public", "%", new String[]{"TABLE"}), "TABLE_NAME")));
            out("dbmeta", "columns", String.join(",", column(md.getColumns(null, "public", "products", "%"),
                    "COLUMN_NAME", "TYPE_NAME", "DATA_TYPE")));
            out("dbmeta", "pk", String.join(",", column(md.getPrimaryKeys(null, "public", "customers"), "COLUMN_NAME", "KEY_SEQ")));
            out("dbmeta", "imported", String.join(",", column(md.getImportedKeys(null, "public", "orders"),
                    "PKTABLE_NAME", "PKCOLUMN_NAME", "FKCOLUMN_NAME")));
            List<String> types = column(md.getTypeInfo(), "TYPE_NAME");
            out("dbmeta", "typeinfo_count", types.size());
            out("dbmeta", "typeinfo_has", types.contains("int4") + "," + types.contains("text") + "," + types.contains("numeric"));
            out("dbmeta", "schemas", String.join(",", column(md.getSchemas(), "TABLE_SCHEM")));
        } catch (Exception e) {
            fail("dbmeta", e);
        }
    }

    static void fetchSize(Connection c) {
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                long n = 0, sum = 0;
                try (ResultSet rs = s.executeQuery("SELECT i FROM range(100000) t(i) ORDER BY i")) {
                    while (rs.next()) {
                        n++;
                        sum += rs.getLong(1);
                    }
                }
                out("fetchsize", "rows", n);
                out("fetchsize", "sum", sum);
            }
            c.commit();
            c.setAutoCommit(true);
        } catch (Exception e) {
            fail("fetchsize", e);
        }
    }

    static void errors(Connection c) {
        List<String> states = new ArrayList<>();
        for (String sql : new String[]{"SELEC 1", "SELECT * FROM no_such_table", "SELECT nope FROM customers", "SELECT 1/0"}) {
            try (Statement s = c.createStatement()) {
                s.executeQuery(sql).close();
                states.add("none");
            } catch (SQLException e) {
                states.add(e.getSQLState());
            }
        }
        out("errors", "states", String.join(",", states));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 7")) {
            rs.next();
            out("errors", "after", rs.getInt(1));
        } catch (Exception e) {
            fail("errors", e);
        }
    }
}
