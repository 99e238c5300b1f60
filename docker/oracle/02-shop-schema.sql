-- Run once by gvenzl/oracle-free on first start, after 01-setup-logminer.sh: the schema SHOP in
-- FREEPDB1 that the erp connectors capture (config/connectors/erp/), with a few rows, and
-- supplemental logging for each table as docs/oracle.md asks.
WHENEVER SQLERROR EXIT SQL.SQLCODE
ALTER SESSION SET CONTAINER = FREEPDB1;
CREATE USER shop IDENTIFIED BY shop DEFAULT TABLESPACE users QUOTA UNLIMITED ON users;
GRANT CREATE SESSION, CREATE TABLE TO shop;

CREATE TABLE shop.customers (id NUMBER(19) PRIMARY KEY, name VARCHAR2(100) NOT NULL, email VARCHAR2(200),
  city VARCHAR2(60), created_at TIMESTAMP(3) NOT NULL);
CREATE TABLE shop.orders (id NUMBER(19) PRIMARY KEY, customer_id NUMBER(19) NOT NULL, status VARCHAR2(16) NOT NULL,
  total NUMBER(12,2) NOT NULL, ordered_at TIMESTAMP(3) NOT NULL);
ALTER TABLE shop.customers ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;
ALTER TABLE shop.orders ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;

INSERT INTO shop.customers SELECT level, 'customer ' || level, 'customer' || level || '@example.com', 'Lisbon', SYSTIMESTAMP
  FROM dual CONNECT BY level <= 100;
INSERT INTO shop.orders SELECT level, MOD(level, 100) + 1, 'NEW', level * 10, SYSTIMESTAMP FROM dual CONNECT BY level <= 500;
COMMIT;
EXIT
