import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts DynamoDB Local bound to 127.0.0.1 only. DynamoDBLocal.jar's own main() binds Jetty to
 * every interface and has no host option, so this launcher builds the server the same way
 * (ServerRunner.createServerFromCommandLineArgs, same flags), sets the host of its connectors
 * before starting it, and skips the telemetry setup of ServerRunner.main.
 * It also exits when its standard input closes: the Node parent holds the other end of that
 * pipe, so the emulator dies with its parent however the parent ends (Ctrl-C, SIGKILL, crash).
 * Run in source-file mode: java -cp 'DynamoDBLocal.jar:DynamoDBLocal_lib/*' LoopbackDynamoDbLocal.java -inMemory -port N
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // Drain: only end of input matters.
        }
      } catch (Exception ignored) {
        // A broken pipe means the parent is gone, too.
      }
      Runtime.getRuntime().halt(0);
    }, "firstseen-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost("127.0.0.1");
        bound++;
      }
    }
    if (bound == 0) {
      System.err.println("firstseen: no Jetty ServerConnector found; refusing to listen on all interfaces");
      System.exit(3);
    }
    proxy.start();
    System.out.println("firstseen: DynamoDB Local listening on 127.0.0.1");
    proxy.join();
  }
}
