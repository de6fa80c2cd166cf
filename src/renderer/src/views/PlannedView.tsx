/** A view whose feature has not been built yet; says plainly what will be here. */
export function PlannedView({ title, description }: { title: string; description: string }) {
  return (
    <div className="view">
      <div className="toolbar">
        <h1>{title}</h1>
      </div>
      <p className="hint">{description}</p>
    </div>
  );
}
