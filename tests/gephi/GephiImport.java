import java.io.File;
import org.gephi.graph.api.Column;
import org.gephi.graph.api.GraphController;
import org.gephi.graph.api.GraphModel;
import org.gephi.graph.api.Node;
import org.gephi.io.importer.api.Container;
import org.gephi.io.importer.api.EdgeDirectionDefault;
import org.gephi.io.importer.api.ImportController;
import org.gephi.io.importer.api.Issue;
import org.gephi.io.processor.plugin.DefaultProcessor;
import org.gephi.project.api.ProjectController;
import org.gephi.project.api.Workspace;
import org.openide.util.Lookup;

/**
 * Import a GraphML file with Gephi's toolkit and print what arrived: node and edge counts, the
 * importer's issues, and the attributes (title, type, value) of the nodes named after the file.
 * Run by tests/test_exports_clients.py.
 */
public class GephiImport {
    public static void main(String[] args) throws Exception {
        ProjectController pc = Lookup.getDefault().lookup(ProjectController.class);
        pc.newProject();
        Workspace workspace = pc.getCurrentWorkspace();
        ImportController importer = Lookup.getDefault().lookup(ImportController.class);
        Container container = importer.importFile(new File(args[0]));
        container.getLoader().setEdgeDefault(EdgeDirectionDefault.DIRECTED);
        importer.process(container, new DefaultProcessor(), workspace);
        GraphModel model = Lookup.getDefault().lookup(GraphController.class).getGraphModel(workspace);
        System.out.println("nodes\t" + model.getGraph().getNodeCount());
        System.out.println("edges\t" + model.getGraph().getEdgeCount());
        for (java.util.Iterator<Issue> it = container.getReport().getIssues(1000); it.hasNext(); ) {
            Issue issue = it.next();
            System.out.println("issue\t" + issue.getLevel() + "\t" + issue.getMessage());
        }
        for (int i = 1; i < args.length; i++) {
            Node node = model.getGraph().getNode(args[i]);
            if (node != null) {
                for (Column column : model.getNodeTable()) {
                    Object value = node.getAttribute(column);
                    if (value != null) {
                        System.out.println("attr\t" + args[i] + "\t" + column.getTitle() + "\t"
                                + column.getTypeClass().getSimpleName() + "\t" + value);
                    }
                }
            }
        }
    }
}
