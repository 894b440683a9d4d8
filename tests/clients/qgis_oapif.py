"""Run with Debian's python3 + python3-qgis: load a collection through QGIS's OAPIF provider
and print what QGIS sees as JSON.  Usage: qgis_oapif.py BASE_URL COLLECTION [MINX,MINY,MAXX,MAXY]"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer, QgsWkbTypes  # noqa: E402

base, collection = sys.argv[1], sys.argv[2]
bbox = [float(v) for v in sys.argv[3].split(",")] if len(sys.argv) > 3 else None
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
# with a box, QGIS asks the server for that box only (as a map canvas does on a big layer)
uri = (f"url='{base}/ogc' typename='{collection}' pagingEnabled='true' "
       f"restrictToRequestBBOX='{1 if bbox else 0}'")
layer = QgsVectorLayer(uri, collection, "OAPIF")
out = {"valid": layer.isValid()}
if layer.isValid():
    request = QgsFeatureRequest()
    if bbox:
        request.setFilterRect(QgsRectangle(*bbox))
    feats = list(layer.getFeatures(request))
    out.update(
        count=len(feats),
        feature_count=layer.featureCount(),
        geometry=QgsWkbTypes.displayString(layer.wkbType()),
        fields=[f.name() for f in layer.fields()],
        first=dict(zip([f.name() for f in layer.fields()], [str(v) for v in feats[0].attributes()], strict=False)) if feats else None,
        extent=[layer.extent().xMinimum(), layer.extent().yMinimum(), layer.extent().xMaximum(), layer.extent().yMaximum()],
    )
print(json.dumps(out, ensure_ascii=False), flush=True)
os._exit(0)  # QGIS 3.22 may crash while tearing down a headless application
