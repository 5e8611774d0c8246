package io.flick.devinfra.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Readiness probes that speak each server's own protocol over a plain socket, so this module needs
 * no client library. Each returns a short description when the server answered properly and throws
 * IOException (with the reason) when it did not.
 */
public final class Probes {
  private Probes() {}

  private static final int CONNECT_TIMEOUT_MS = 1_000;

  private static Socket connect(String host, int port, int readTimeoutMs) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(readTimeoutMs);
      socket.setTcpNoDelay(true);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Redis: PING -> +PONG (a Redis still loading its AOF answers -LOADING)

  public static String redis(String host, int port) throws IOException {
    try (Socket s = connect(host, port, 3_000)) {
      s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String line = readLine(s.getInputStream());
      if (!line.equals("+PONG")) {
        throw new IOException("PING answered " + line);
      }
      return "PONG";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP: any status line counts (s3proxy answers GET / without credentials with 403)

  public static String http(String host, int port) throws IOException {
    try (Socket s = connect(host, port, 3_000)) {
      String request =
          "GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String status = readLine(s.getInputStream());
      if (!status.startsWith("HTTP/")) {
        throw new IOException("not an HTTP answer: " + status);
      }
      return status;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // OpenSearch: GET /_cluster/health answers 200 with a green or yellow status once the node has
  // elected itself and recovered its cluster state (an HTTP port alone is open a little earlier)

  public static String openSearch(String host, int port) throws IOException {
    try (Socket s = connect(host, port, 3_000)) {
      String request =
          "GET /_cluster/health HTTP/1.1\r\nHost: "
              + host
              + ":"
              + port
              + "\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String answer = new String(s.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
      if (!answer.startsWith("HTTP/1.1 200")) {
        int eol = answer.indexOf('\r');
        throw new IOException(
            "cluster health answered " + (eol > 0 ? answer.substring(0, eol) : answer));
      }
      for (String status : new String[] {"green", "yellow"}) {
        if (answer.contains("\"status\":\"" + status + "\"")) {
          return "cluster " + status;
        }
      }
      throw new IOException("cluster not yet green or yellow");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Kafka: ApiVersions v0 on the broker listener. The broker only processes requests once it has
  // caught up with the metadata log and been unfenced, so an answer means it is ready.

  private static final short API_VERSIONS = 18;

  public static String kafka(String host, int port) throws IOException {
    try (Socket s = connect(host, port, 3_000)) {
      int correlationId = 0x0F11C4;
      byte[] clientId = "flick-dev-infra-probe".getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(body);
      out.writeShort(API_VERSIONS);
      out.writeShort(0); // version
      out.writeInt(correlationId);
      out.writeShort(clientId.length);
      out.write(clientId);
      DataOutputStream sock = new DataOutputStream(s.getOutputStream());
      sock.writeInt(body.size());
      body.writeTo(sock);
      sock.flush();

      DataInputStream in = new DataInputStream(s.getInputStream());
      int size = in.readInt();
      if (size < 6 || size > 1 << 20) {
        throw new IOException("ApiVersions answer of implausible size " + size);
      }
      if (in.readInt() != correlationId) {
        throw new IOException("ApiVersions answer with a wrong correlation id");
      }
      short error = in.readShort();
      // 0 = none; 35 = UNSUPPORTED_VERSION still proves a broker that processes requests
      if (error != 0 && error != 35) {
        throw new IOException("ApiVersions answered error code " + error);
      }
      int apis = error == 0 ? in.readInt() : -1;
      return "ApiVersions ok" + (apis >= 0 ? " (" + apis + " APIs)" : "");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Cassandra: native protocol v4 STARTUP, then QUERY "SELECT release_version FROM system.local".
  // Accepting TCP is not enough; this succeeds only once the node serves CQL.

  private static final byte CQL_V4 = 0x04;
  private static final byte OP_ERROR = 0x00;
  private static final byte OP_STARTUP = 0x01;
  private static final byte OP_READY = 0x02;
  private static final byte OP_AUTHENTICATE = 0x03;
  private static final byte OP_QUERY = 0x07;
  private static final byte OP_RESULT = 0x08;

  /** Returns the node's release_version (e.g. "5.0.9"). */
  public static String cassandra(String host, int port) throws IOException {
    try (Socket s = connect(host, port, 10_000)) {
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      DataInputStream in = new DataInputStream(s.getInputStream());

      ByteArrayOutputStream startup = new ByteArrayOutputStream();
      DataOutputStream b = new DataOutputStream(startup);
      b.writeShort(1);
      writeCqlString(b, "CQL_VERSION");
      writeCqlString(b, "3.0.0");
      writeFrame(out, 1, OP_STARTUP, startup.toByteArray());
      Frame ready = readFrame(in);
      if (ready.opcode == OP_AUTHENTICATE) {
        return "CQL ready (authentication required)";
      }
      expect(ready, OP_READY, "STARTUP");

      ByteArrayOutputStream query = new ByteArrayOutputStream();
      b = new DataOutputStream(query);
      byte[] cql = "SELECT release_version FROM system.local".getBytes(StandardCharsets.UTF_8);
      b.writeInt(cql.length);
      b.write(cql);
      b.writeShort(0x0001); // consistency ONE
      b.writeByte(0); // no flags
      writeFrame(out, 2, OP_QUERY, query.toByteArray());
      Frame result = readFrame(in);
      expect(result, OP_RESULT, "QUERY system.local");
      return releaseVersion(result.body);
    }
  }

  private record Frame(byte opcode, byte[] body) {}

  private static void writeFrame(DataOutputStream out, int stream, byte opcode, byte[] body)
      throws IOException {
    out.writeByte(CQL_V4);
    out.writeByte(0); // flags
    out.writeShort(stream);
    out.writeByte(opcode);
    out.writeInt(body.length);
    out.write(body);
    out.flush();
  }

  private static Frame readFrame(DataInputStream in) throws IOException {
    int version = in.readUnsignedByte();
    if ((version & 0x7F) != CQL_V4) {
      throw new IOException("native protocol answer of version " + (version & 0x7F));
    }
    in.readUnsignedByte(); // flags
    in.readShort(); // stream
    byte opcode = in.readByte();
    int length = in.readInt();
    if (length < 0 || length > 16 << 20) {
      throw new IOException("native protocol frame of implausible length " + length);
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return new Frame(opcode, body);
  }

  private static void expect(Frame frame, byte opcode, String what) throws IOException {
    if (frame.opcode == OP_ERROR) {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame.body));
      int code = in.readInt();
      throw new IOException(
          what + " answered error 0x" + Integer.toHexString(code) + ": " + readCqlString(in));
    }
    if (frame.opcode != opcode) {
      throw new IOException(what + " answered opcode 0x" + Integer.toHexString(frame.opcode));
    }
  }

  private static String releaseVersion(byte[] body) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body));
    int kind = in.readInt();
    if (kind != 2) {
      throw new IOException("system.local answered result kind " + kind + ", not rows");
    }
    int flags = in.readInt();
    int columns = in.readInt();
    if ((flags & 0x0002) != 0) {
      skipBytes(in); // paging state
    }
    if ((flags & 0x0004) == 0) {
      boolean global = (flags & 0x0001) != 0;
      if (global) {
        readCqlString(in);
        readCqlString(in);
      }
      for (int i = 0; i < columns; i++) {
        if (!global) {
          readCqlString(in);
          readCqlString(in);
        }
        readCqlString(in); // column name
        int type = in.readUnsignedShort();
        if (type != 0x000D && type != 0x0001) { // varchar / ascii: no type parameters
          return "CQL ready";
        }
      }
    }
    int rows = in.readInt();
    if (rows < 1 || columns < 1) {
      throw new IOException("system.local has no row yet");
    }
    int len = in.readInt();
    if (len < 0) {
      return "CQL ready";
    }
    byte[] value = new byte[len];
    in.readFully(value);
    return new String(value, StandardCharsets.UTF_8);
  }

  private static void writeCqlString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static String readCqlString(DataInputStream in) throws IOException {
    int len = in.readUnsignedShort();
    byte[] bytes = new byte[len];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void skipBytes(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len > 0) {
      in.readFully(new byte[len]);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 4096) {
      int c = in.read();
      if (c < 0) {
        if (sb.length() == 0) {
          throw new EOFException("connection closed without an answer");
        }
        break;
      }
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
