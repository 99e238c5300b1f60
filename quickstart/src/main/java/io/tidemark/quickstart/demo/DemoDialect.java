package io.tidemark.quickstart.demo;

import java.util.List;

/**
 * The demo's four tables in one source database's SQL: customers, products, orders and their
 * lines (a composite key). The workload's statements are plain SQL both databases take; only the
 * DDL and the table names differ.
 */
public interface DemoDialect {

    List<String> TABLES = List.of("customers", "products", "orders", "order_lines");

    /** The table as SQL names it, e.g. {@code shop.orders}. */
    String table(String name);

    /** The table's topic: Debezium's {@code <prefix>.<schema>.<table>}. */
    String topic(String prefix, String name);

    /** Drops what an earlier run left and creates the tables empty. */
    List<String> recreate();

    /** PostgreSQL: schema {@code shop}. */
    static DemoDialect postgres() {
        return new DemoDialect() {
            @Override
            public String table(String name) {
                return "shop." + name;
            }

            @Override
            public String topic(String prefix, String name) {
                return prefix + ".shop." + name;
            }

            @Override
            public List<String> recreate() {
                return List.of("DROP SCHEMA IF EXISTS shop CASCADE", "CREATE SCHEMA shop",
                        "CREATE TABLE shop.customers (id bigint PRIMARY KEY, name varchar(100) NOT NULL,"
                                + " email varchar(200), city varchar(60), created_at timestamp(3) NOT NULL)",
                        "CREATE TABLE shop.products (id bigint PRIMARY KEY, name varchar(100) NOT NULL,"
                                + " price numeric(10,2) NOT NULL)",
                        "CREATE TABLE shop.orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL,"
                                + " status varchar(16) NOT NULL, total numeric(12,2) NOT NULL, ordered_at timestamp(3) NOT NULL)",
                        "CREATE TABLE shop.order_lines (order_id bigint NOT NULL, line_no int NOT NULL,"
                                + " product_id bigint NOT NULL, quantity int NOT NULL, price numeric(10,2) NOT NULL,"
                                + " PRIMARY KEY (order_id, line_no))",
                        // Debezium's signal table, which verify --repair writes to (demo-source.json names it).
                        "CREATE SCHEMA IF NOT EXISTS tidemark",
                        "CREATE TABLE IF NOT EXISTS tidemark.debezium_signal (id varchar(64) PRIMARY KEY,"
                                + " type varchar(32) NOT NULL, data text)");
            }
        };
    }

    /** Oracle: the demo user's schema, with the supplemental logging LogMiner needs (docs/oracle.md). */
    static DemoDialect oracle(String schema) {
        String s = schema.toUpperCase(java.util.Locale.ROOT);
        return new DemoDialect() {
            @Override
            public String table(String name) {
                return s + "." + name.toUpperCase(java.util.Locale.ROOT);
            }

            @Override
            public String topic(String prefix, String name) {
                return prefix + "." + table(name);
            }

            @Override
            public List<String> recreate() {
                List<String> ddl = new java.util.ArrayList<>();
                for (String t : List.of("order_lines", "orders", "products", "customers")) {
                    ddl.add("BEGIN EXECUTE IMMEDIATE 'DROP TABLE " + table(t) + " PURGE';"
                            + " EXCEPTION WHEN OTHERS THEN IF SQLCODE != -942 THEN RAISE; END IF; END;");
                }
                ddl.add("CREATE TABLE " + table("customers") + " (ID NUMBER(19) PRIMARY KEY, NAME VARCHAR2(100) NOT NULL,"
                        + " EMAIL VARCHAR2(200), CITY VARCHAR2(60), CREATED_AT TIMESTAMP(3) NOT NULL)");
                ddl.add("CREATE TABLE " + table("products") + " (ID NUMBER(19) PRIMARY KEY, NAME VARCHAR2(100) NOT NULL,"
                        + " PRICE NUMBER(10,2) NOT NULL)");
                ddl.add("CREATE TABLE " + table("orders") + " (ID NUMBER(19) PRIMARY KEY, CUSTOMER_ID NUMBER(19) NOT NULL,"
                        + " STATUS VARCHAR2(16) NOT NULL, TOTAL NUMBER(12,2) NOT NULL, ORDERED_AT TIMESTAMP(3) NOT NULL)");
                ddl.add("CREATE TABLE " + table("order_lines") + " (ORDER_ID NUMBER(19) NOT NULL, LINE_NO NUMBER(9) NOT NULL,"
                        + " PRODUCT_ID NUMBER(19) NOT NULL, QUANTITY NUMBER(9) NOT NULL, PRICE NUMBER(10,2) NOT NULL,"
                        + " PRIMARY KEY (ORDER_ID, LINE_NO))");
                for (String t : TABLES) {
                    ddl.add("ALTER TABLE " + table(t) + " ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS");
                }
                // Debezium's signal table, which verify --repair writes to (demo-oracle-source.json names it).
                ddl.add("BEGIN EXECUTE IMMEDIATE 'CREATE TABLE " + table("debezium_signal") + " (ID VARCHAR2(64) PRIMARY KEY,"
                        + " TYPE VARCHAR2(32) NOT NULL, DATA VARCHAR2(2048))'; EXCEPTION WHEN OTHERS THEN"
                        + " IF SQLCODE != -955 THEN RAISE; END IF; END;");
                ddl.add("BEGIN EXECUTE IMMEDIATE 'ALTER TABLE " + table("debezium_signal") + " ADD SUPPLEMENTAL LOG DATA"
                        + " (ALL) COLUMNS'; EXCEPTION WHEN OTHERS THEN IF SQLCODE != -32588 THEN RAISE; END IF; END;");
                return ddl;
            }
        };
    }
}
