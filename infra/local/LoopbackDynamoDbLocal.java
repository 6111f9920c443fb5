import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Runs AWS's DynamoDB Local, with its own command-line options, listening on 127.0.0.1 only.
 *
 * <p>DynamoDB Local has no option for the address it listens on: its Jetty server is built with a
 * port alone, so it accepts connections on every interface, without authentication. This builds the
 * server exactly as DynamoDB Local's own main class does, then binds its connector to the loopback
 * address before starting it.
 */
public final class LoopbackDynamoDbLocal {
  private static final String LOOPBACK = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field jetty = DynamoDBProxyServer.class.getDeclaredField("server");
    jetty.setAccessible(true);
    for (Connector connector : ((Server) jetty.get(proxy)).getConnectors()) {
      ((ServerConnector) connector).setHost(LOOPBACK);
    }
    proxy.start();
  }
}
